'use client';
// What leaves the page from the timeline: the recording as a file, the picture as SVG or PNG.
import type { Recording } from '@/lib/recording/format';
import { downloadText, slugOf } from '../scenario/open';

export function fileStem(rec: Recording): string {
  const title = (rec.scenario as { title?: unknown } | null)?.title;
  return slugOf(typeof title === 'string' && title ? title : 'run');
}

export function downloadRecording(rec: Recording): void {
  downloadText(JSON.stringify(rec), `${fileStem(rec)}.recording.json`, 'application/json');
}

export function downloadSvg(svg: string, stem: string): void {
  downloadText(svg, `${stem}.timeline.svg`, 'image/svg+xml');
}

/** The SVG drawn on a canvas at twice its size (sharp on a projector), saved as PNG. */
export async function downloadPng(svg: string, stem: string): Promise<void> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth * scale;
    canvas.height = img.naturalHeight * scale;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${stem}.timeline.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  } finally {
    URL.revokeObjectURL(url);
  }
}
