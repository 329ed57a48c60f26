// GET /api/examples/SLUG: the scenario in examples/SLUG.json (used by `?example=SLUG`).
import { readExample } from '../catalog';

export async function GET(_req: Request, ctx: { params: Promise<{ slug: string }> }) {
  const { slug } = await ctx.params;
  const scenario = await readExample(slug);
  if (!scenario) return Response.json({ error: `no example named "${slug}"` }, { status: 404 });
  return Response.json(scenario);
}
