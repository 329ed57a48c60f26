// Arrowheads, one per mechanism so each takes its edge's colour (SVG markers do not inherit it).
import { MECHANISM_IDS } from '@/lib/mechanisms';
import { MECHANISM_VIEWS } from '../mechanisms/registry';

export function MarkerDefs() {
  return (
    <svg className="marker-defs" aria-hidden width="0" height="0">
      <defs>
        {MECHANISM_IDS.map((m) => (
          <marker key={m} id={`ipcpg-arrow-${m}`} viewBox="0 0 12 12" refX="10" refY="6" markerWidth="14" markerHeight="14" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M 1 1 L 11 6 L 1 11 z" style={{ fill: MECHANISM_VIEWS[m].color }} />
          </marker>
        ))}
        <marker id="ipcpg-arrow-deadlock" viewBox="0 0 12 12" refX="10" refY="6" markerWidth="16" markerHeight="16" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
          <path d="M 1 1 L 11 6 L 1 11 z" style={{ fill: 'var(--danger)' }} />
        </marker>
      </defs>
    </svg>
  );
}
