// GET /api/examples: the gallery's list (slug, title, description).
import { listExamples } from './catalog';

export async function GET() {
  return Response.json(await listExamples());
}
