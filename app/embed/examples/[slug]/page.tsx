// /embed/examples/SLUG: a gallery example inside another site's page, ready to run.
import type { Metadata } from 'next';
import { Playground } from '@/components/Playground';

export const metadata: Metadata = { title: 'IPC Playground', robots: { index: false } };

export default async function EmbedExamplePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <Playground example={slug} embed />;
}
