// GET /api/docs/language: docs/language.md, the language reference the editor links to.
import fs from 'node:fs/promises';
import path from 'node:path';

export async function GET() {
  const text = await fs.readFile(path.join(process.cwd(), 'docs', 'language.md'), 'utf8');
  return new Response(text, { headers: { 'content-type': 'text/markdown; charset=utf-8', 'cache-control': 'no-cache' } });
}
