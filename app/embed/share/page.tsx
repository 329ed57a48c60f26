// /embed/share#s1.…: a shared scenario inside another site's page, ready to run.
import type { Metadata } from 'next';
import { Playground } from '@/components/Playground';

export const metadata: Metadata = { title: 'IPC Playground', robots: { index: false } };

export default function EmbedSharePage() {
  return <Playground embed />;
}
