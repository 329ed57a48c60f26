// What an edge's label and an object's node both show of a channel: its kernel object's live
// state and who waits on it, in a few words; and its mechanism's menu.
import { MECHANISM_VIEWS } from '../mechanisms/registry';
import { useEditor } from '../store/editor';
import { useRun } from '../store/run';
import { useUi } from '../store/ui';

/** The object's state and who waits on it: `value 0 · producer, consumer wait`. */
function liveState(object: string | null, waiters: string[]): string | null {
  const who = waiters.length ? `${waiters.join(', ')} ${waiters.length === 1 ? 'waits' : 'wait'}` : null;
  return [object, who].filter(Boolean).join(' · ') || null;
}

/** The words for a channel's object now, and whether anyone is blocked on it. */
export function useObjectState(id: string): { text: string | null; waiting: boolean } {
  const channel = useEditor((s) => s.scenario.channels.find((c) => c.id === id));
  const processes = useEditor((s) => s.scenario.processes);
  const live = useRun((s) => s.chans[id]);
  const ended = useRun((s) => s.status === 'ended');
  // every process blocked on it (a semaphore can have several), as ids
  const waiting = useRun((s) =>
    s.status !== 'running'
      ? ''
      : Object.values(s.procs)
          .filter((p) => p.state === 'blocked' && p.channel === id)
          .map((p) => p.id)
          .join(' '),
  );
  if (!channel || !live) return { text: null, waiting: !!waiting };
  const view = MECHANISM_VIEWS[channel.mechanism];
  const name = (pid: string) => processes.find((p) => p.id === pid)?.name ?? pid;
  // after the run its object is gone: the last sample may predate the object's opening
  const text = ended ? (view.endState ?? view.edgeState)(live, name) : liveState(view.edgeState(live, name), waiting ? waiting.split(' ').map(name) : []);
  return { text, waiting: !!waiting };
}

/** Selects the channel and opens its mechanism's menu under the element clicked. */
export function openMechanismMenu(id: string, e: React.MouseEvent): void {
  e.stopPropagation();
  useEditor.getState().select({ nodes: [], edges: [id] });
  if (useEditor.getState().locked) return;
  const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
  useUi.getState().set({ menu: { kind: 'mechanism', channel: id, x: r.left, y: r.bottom + 4 } });
}
