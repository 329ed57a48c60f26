// /examples/SLUG: the playground with that gallery scenario opened on top of the saved one.
import type { Metadata } from 'next';
import { Playground } from '@/components/Playground';
import { SLUG, readExample } from '../../api/examples/catalog';

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const s = SLUG.test(slug) ? ((await readExample(slug)) as { title?: string; description?: string } | null) : null;
  return s?.title ? { title: `${s.title} · IPC Playground`, description: s.description } : { title: 'IPC Playground' };
}

export default async function ExamplePage({ params }: Props) {
  const { slug } = await params;
  return <Playground example={slug} />;
}
