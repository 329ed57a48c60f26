// /follow/TOKEN: a read-only view of someone's live session (follow mode).
import type { Metadata } from 'next';
import { Playground } from '@/components/Playground';

export const metadata: Metadata = { title: 'Following live · IPC Playground', robots: { index: false } };

export default async function FollowPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <Playground follow={token} />;
}
