// The gallery on disk: examples/SLUG.json, read by the server routes only.
import fs from 'node:fs/promises';
import path from 'node:path';

const DIR = path.join(process.cwd(), 'examples');
/** Slugs are file names we made: lowercase words and dashes, nothing that walks paths. */
export const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface ExampleEntry {
  slug: string;
  title: string;
  description: string;
}

export async function listExamples(): Promise<ExampleEntry[]> {
  const files = (await fs.readdir(DIR)).filter((f) => f.endsWith('.json')).sort();
  const out: ExampleEntry[] = [];
  for (const f of files) {
    const slug = f.slice(0, -5);
    if (!SLUG.test(slug)) continue;
    try {
      const s = JSON.parse(await fs.readFile(path.join(DIR, f), 'utf8')) as { title?: string; description?: string };
      out.push({ slug, title: s.title ?? slug, description: s.description ?? '' });
    } catch {
      // a broken example is left out of the list; loading it by name reports the error
    }
  }
  return out;
}

export async function readExample(slug: string): Promise<unknown | null> {
  if (!SLUG.test(slug)) return null;
  try {
    return JSON.parse(await fs.readFile(path.join(DIR, `${slug}.json`), 'utf8'));
  } catch {
    return null;
  }
}
