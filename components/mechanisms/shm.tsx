// Shared memory: no messages, just bytes both processes see. The server samples the segment
// and sends the changed ranges; the grid shows hex and ASCII, the latest changes lit up.
import { memo, useState } from 'react';
import type { MechanismId } from '@/lib/mechanisms';
import type { ChanLive } from '../run/live';
import { Facts, Waiting } from './common';
import { formatBytes } from '@/lib/format';
import { ShmIcon } from './icons';
import type { DetailProps, MechanismView } from './types';

const ROW = 16;
const FIRST_ROWS = 48;

const hex2 = (b: number) => b.toString(16).padStart(2, '0');
const ascii = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·');

/** Rows worth showing: up to the last non-zero byte, plus one, at least four. */
function usedRows(bytes: Uint8Array): number {
  let last = -1;
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i] !== 0) {
      last = i;
      break;
    }
  }
  const rows = Math.ceil(bytes.length / ROW);
  return Math.min(rows, Math.max(4, Math.floor(last / ROW) + 2));
}

export const HexView = memo(function HexView({ chan }: { chan: ChanLive; version: number }) {
  const [all, setAll] = useState(false);
  const view = chan.shm;
  if (!view) return <Waiting />;
  const { bytes, changed, version } = view;
  const used = usedRows(bytes);
  const shown = all ? used : Math.min(used, FIRST_ROWS);
  const rows = [];
  for (let r = 0; r < shown; r++) {
    const base = r * ROW;
    let lit = false;
    const cells = [];
    const chars = [];
    for (let i = 0; i < ROW && base + i < bytes.length; i++) {
      const at = base + i;
      const b = bytes[at];
      const isNew = changed.has(at);
      lit ||= isNew;
      const cls = `${isNew ? 'hx-new' : ''}${b === 0 ? ' hx-zero' : ''}`;
      cells.push(<span key={i} className={cls}>{hex2(b)}</span>);
      chars.push(<span key={i} className={cls}>{ascii(b)}</span>);
    }
    // re-keying a row with fresh changes restarts its highlight animation
    rows.push(
      <div className="hx-row" key={lit ? `${r}-${version}` : r}>
        <span className="hx-off">{base.toString(16).padStart(4, '0')}</span>
        <span className="hx-bytes">{cells}</span>
        <span className="hx-ascii">{chars}</span>
      </div>,
    );
  }
  return (
    <div className="hexview" data-testid={`hex-view-${chan.id}`} data-version={version}>
      <div className="hx-head">
        <span>offset</span>
        <span>00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f</span>
        <span>ASCII</span>
      </div>
      {rows}
      {used > shown ? (
        <button className="link small" onClick={() => setAll(true)}>
          show {used - shown} more rows
        </button>
      ) : null}
      {used < Math.ceil(bytes.length / ROW) ? <div className="muted small">… zeros up to {formatBytes(bytes.length)}</div> : null}
    </div>
  );
});

function ShmDetail({ chan }: DetailProps) {
  const o = chan.object;
  return (
    <div>
      <Facts rows={[['size', formatBytes(o?.size ?? chan.shm?.bytes.length ?? 0)], ['writes', String(chan.fwd + chan.back)], ...(o?.readers !== undefined ? [['attached', String(o.readers)] as [string, string]] : [])]} />
      <HexView chan={chan} version={chan.shm?.version ?? 0} />
    </div>
  );
}

/** The start of the segment as text, for the edge label: `"Hello from wr…"`. */
function preview(c: ChanLive): string | null {
  if (!c.shm) return null;
  let s = '';
  for (let i = 0; i < c.shm.bytes.length && s.length < 14; i++) {
    const b = c.shm.bytes[i];
    if (b === 0) break;
    s += ascii(b);
  }
  return s ? `"${s}${s.length >= 14 ? '…' : ''}"` : 'all zero';
}

const make = (id: MechanismId, short: string): MechanismView => ({ id, short, color: 'var(--m-shm)', Icon: ShmIcon, wide: true, packet: 'write', edgeState: preview, Detail: ShmDetail });

export const shmPosixView = make('shm-posix', 'POSIX shm');
export const shmSysvView = make('shm-sysv', 'SysV shm');
export const shmFileView = make('shm-file', 'mmap file');
export const shmAnonView = make('shm-anon', 'memfd shm');
