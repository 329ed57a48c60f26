// /embed/replay#r1.…: a recorded run inside another site's page (framable: server/edge/headers.ts).
import type { Metadata } from 'next';
import { Playground } from '@/components/Playground';

export const metadata: Metadata = { title: 'Recorded run · IPC Playground', robots: { index: false } };

export default function EmbedReplayPage() {
  return <Playground replay embed />;
}
