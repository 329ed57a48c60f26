// /f/CODE: a live session by its short code (what a projector shows); the same read-only view as /follow/TOKEN.
import type { Metadata } from 'next';
import { Playground } from '@/components/Playground';

export const metadata: Metadata = { title: 'Following live · IPC Playground', robots: { index: false } };

export default async function FollowByCodePage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <Playground follow={code} />;
}
