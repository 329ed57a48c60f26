// /gallery: the playground with the gallery of scenarios open.
import type { Metadata } from 'next';
import { Playground } from '@/components/Playground';

export const metadata: Metadata = { title: 'Gallery · IPC Playground' };

export default function GalleryPage() {
  return <Playground gallery />;
}
