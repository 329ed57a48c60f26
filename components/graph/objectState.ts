// The words an edge label or an object node shows for a channel's kernel object.

/** The object's state and who waits on it: `value 0 · producer, consumer wait`. */
export function liveState(object: string | null, waiters: string[]): string | null {
  const who = waiters.length ? `${waiters.join(', ')} ${waiters.length === 1 ? 'waits' : 'wait'}` : null;
  return [object, who].filter(Boolean).join(' · ') || null;
}
