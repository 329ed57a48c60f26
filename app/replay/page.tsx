// /replay: open a recorded run (a file, or a link holding it in its fragment) and move
// through it with the timeline; nothing runs.
import type { Metadata } from 'next';
import { Playground } from '@/components/Playground';

export const metadata: Metadata = { title: 'Replay a run · IPC Playground' };

export default function ReplayPage() {
  return <Playground replay />;
}
