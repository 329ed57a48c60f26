// A link between a process and an object drawn on its own is an edge of the canvas; its id
// names both. Ids are identifiers (lib/scenario.ts), so `~` cannot occur in either.

export const linkId = (channel: string, proc: string) => `${channel}~${proc}`;

export function parseLinkId(id: string): { channel: string; proc: string } | null {
  const i = id.indexOf('~');
  return i < 0 ? null : { channel: id.slice(0, i), proc: id.slice(i + 1) };
}
