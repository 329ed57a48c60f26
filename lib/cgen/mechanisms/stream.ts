// What byte streams share (pipes, FIFOs, stream sockets): send writes bytes, recv reads at most
// a count of them, and while recv ends at end of file. Isomorphic: no Node, no DOM.

import { literalInt, type RecvStmt, type Stmt } from '../../lang/ast';
import { MAX_TEXT, MAX_TEXT_SIZE, bytes, type Size } from '../expr';
import type { EndCtx, Receive, StmtCtx } from './types';

/** read(2)'s count when recv gives none, as in the playground. */
const DEFAULT_READ = 1024;

/** The most bytes a stream recv gives: its count, or DEFAULT_READ without one. */
function streamRecvSize(r: RecvStmt): Size {
  if (!r.size) return bytes(DEFAULT_READ);
  const lit = literalInt(r.size);
  return lit !== undefined && lit <= MAX_TEXT ? bytes(lit) : MAX_TEXT_SIZE;
}

/** recv with read(2) (pipes, FIFOs) or recv(2) (stream sockets) on the fd of this end. */
export function streamReceive(call: 'read' | 'recv', fd: (e: EndCtx) => string): Receive {
  return {
    size: (_ch, r) => streamRecvSize(r),
    takesCount: true,
    into: (c, _r, dest, count) => [
      call === 'read' ? `nbytes = read(${fd(c)}, ${dest}, ${count});` : `nbytes = recv(${fd(c)}, ${dest}, ${count}, 0);`,
      c.checkReceived(call),
    ],
    loop: { eof: true, call, means: call === 'read' ? 'every write end is closed' : 'the other side closed' },
  };
}

/** send with write(2) or send(2) on the fd of this end; a closed reader is EPIPE when SIGPIPE is caught. */
export function streamSend(call: 'write' | 'send', fd: (e: EndCtx) => string) {
  return (c: StmtCtx, s: Extract<Stmt, { kind: 'send' }>): string[] => {
    const d = c.data(s.data!);
    const args = call === 'write' ? `${fd(c)}, ${d.ptr}, ${d.len}` : `${fd(c)}, ${d.ptr}, ${d.len}, 0`;
    return [...d.lines, c.check(`${call}(${args})`, call, c.catchesSigpipe)];
  };
}

/** close of an end opened on first use: it may not be open yet. */
export function closeOpened(c: StmtCtx, fd: string): string {
  return c.open ? `close(${fd});` : `if (${fd} != -1) close(${fd});`;
}

