// What the four kinds of shared memory share: write and read are memcpy(3) at an offset of the
// segment, checked against its size when either is known only at run time. Isomorphic: no Node, no DOM.

import { literalInt, type Stmt } from '../../lang/ast';
import { bytes, type Size } from '../expr';
import { FD, LEN } from '../helpers';
import { named } from './common';
import type { CHelper, Chan, EndCtx, FnCtx, Scratch, VerbFns } from './types';

const OFF: Scratch = { rank: 70, decl: ['long off;'] };

const CHECK_RANGE: CHelper = {
  rank: 80,
  lines: [
    '/* Shared memory is plain memory: nothing stops a write past its end, so we check. */',
    'static void check_range(long offset, long length, long size, int line)',
    '{',
    '    if (offset < 0 || length < 0 || offset + length > size) {',
    '        fprintf(stderr, "line %d: bytes %ld..%ld are outside the %ld-byte segment\\n", line, offset, offset + length, size);',
    '        exit(1);',
    '    }',
    '}',
  ],
};

/** The segment's size in bytes. */
export const segmentSize = (ch: Chan): number => Number(ch.opts.size);

/** `read ... as v` gives at most its length, and at most the segment. */
export function shmReadSize(ch: Chan, s: Extract<Stmt, { kind: 'read' }>): Size {
  const lit = literalInt(s.length);
  return bytes(lit !== undefined && lit <= segmentSize(ch) ? lit : segmentSize(ch));
}

/** A process's own mapping (char *shm_NAME), declared for its end. */
export const declareMapping = (e: EndCtx, storage: string): string[] => [`${storage}char *${e.loc.shm}; /* ${named(e.ch)} */`];

/** Opens the object with `open` (a call that sets fd, and its name for die()), maps it and closes the fd. */
export function mapEnd(e: EndCtx, f: FnCtx, open: string, what: string): string[] {
  f.need(FD);
  return [
    open,
    `if (fd == -1) die("${what}");`,
    `${e.loc.shm} = mmap(NULL, ${segmentSize(e.ch)}, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);`,
    `if (${e.loc.shm} == MAP_FAILED) die("mmap");`,
    `close(fd);   /* the mapping stays */`,
  ];
}

/** write and read on the segment that `shm` gives the address of, at this end. */
export function shmVerbs(shm: (e: EndCtx) => string): VerbFns {
  return {
    write: (c, s) => {
      const d = c.data(s.data);
      const out = [...d.lines];
      const offLit = s.offset ? literalInt(s.offset) : 0;
      const lenLit = d.len === 'len' || d.len.startsWith('strlen') ? undefined : Number(d.len);
      const off = offLit !== undefined ? String(offLit) : 'off';
      if (offLit === undefined) {
        c.need(OFF);
        out.push(`off = ${c.int(s.offset!)};`);
      }
      if (offLit === undefined || lenLit === undefined) {
        c.use(CHECK_RANGE);
        out.push(`check_range(${off}, ${d.len}, ${segmentSize(c.ch)}, ${s.pos.line});`);
      }
      out.push(`memcpy(${shm(c)}${off !== '0' ? ` + ${off}` : ''}, ${d.ptr}, ${d.len});${c.note('plain memory: no system call')}`);
      return out;
    },
    read: (c, s) => {
      const v = c.v(s.into);
      const out: string[] = [];
      const offLit = s.offset ? literalInt(s.offset) : 0;
      const lenLit = literalInt(s.length);
      const off = offLit !== undefined ? String(offLit) : 'off';
      const len = lenLit !== undefined ? String(lenLit) : 'len';
      if (offLit === undefined) {
        c.need(OFF);
        out.push(`off = ${c.int(s.offset!)};`);
      }
      if (lenLit === undefined) {
        c.need(LEN);
        out.push(`len = ${c.int(s.length)};`);
      }
      if (offLit === undefined || lenLit === undefined) {
        c.use(CHECK_RANGE);
        out.push(`check_range(${off}, ${len}, ${segmentSize(c.ch)}, ${s.pos.line});`);
      }
      out.push(`memcpy(${v.c}, ${shm(c)}${off !== '0' ? ` + ${off}` : ''}, ${len});`);
      out.push(`${v.c}[${len}] = '\\0';${c.note("the text ends at the first '\\0' byte")}`);
      return out;
    },
  };
}
