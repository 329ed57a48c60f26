// Expressions of the program language as C. A value is either a whole number (C `long`) or
// text (a NUL-terminated `char` array); the type of each variable is inferred from what is
// assigned to it (text wins when both are). Text is built with snprintf; `+` joins when a
// side is text, as in the playground. Isomorphic: no Node, no DOM.

import { isConstantText, type BinaryOp, type Expr } from '../lang/ast';
import { isErrnoName } from '../lang/errors';
import { TO_NUMBER } from './helpers';
import type { CHelper } from './mechanisms/types';
import { byteLength, cString } from './text';

export type Ty = 'int' | 'text';

/** The most bytes of text the generated code keeps in one value (the playground's message limit). */
export const MAX_TEXT = 65536;
/** Characters of the longest `long` in decimal, with its sign. */
const LONG_CHARS = 20;

/** A byte count: its value, and how to spell it in C (`1024`, `MAX_TEXT`). */
export interface Size {
  n: number;
  c: string;
  /** The length of an array of that many bytes and a '\0' (`1024 + 1`); default: n + 1. */
  decl?: string;
}

/** n bytes, spelled as a number. */
export const bytes = (n: number): Size => ({ n, c: String(n), decl: `${n} + 1` });
/** The most bytes of text, spelled MAX_TEXT. */
export const MAX_TEXT_SIZE: Size = { n: MAX_TEXT, c: 'MAX_TEXT', decl: 'MAX_TEXT + 1' };
/** The length of a char array for s bytes of text. */
export const declOf = (s: Size): string => s.decl ?? String(s.n + 1);

export interface VarInfo {
  /** The C name. */
  c: string;
  ty: Ty;
  /** Text variables: the most bytes they hold (the array has one more, for the '\0'). */
  size: Size;
}

/** What expressions need from the statement being generated. */
export interface ExprEnv {
  v(name: string): VarInfo;
  /** A scratch text buffer of at least `bytes + 1` chars, for this statement only. */
  temp(bytes: number): string;
  /** Statements that must run before the one being generated (filling scratch buffers). */
  pre: string[];
  /** Marks a helper function as used. */
  use(helper: CHelper): void;
}

/** A C expression and its precedence (16 = primary ... 3 = conditional). */
interface CE {
  c: string;
  p: number;
  /** The C type is long (else int): printf needs %ld with a long. */
  long?: boolean;
}

const PREC: Record<BinaryOp, number> = {
  '*': 13, '/': 13, '%': 13, '+': 12, '-': 12, '<': 10, '<=': 10, '>': 10, '>=': 10, '==': 9, '!=': 9, and: 5, or: 4,
};
const COMPARE = new Set<BinaryOp>(['<', '<=', '>', '>=', '==', '!=']);

const wrap = (e: CE, min: number): string => (e.p >= min ? e.c : `(${e.c})`);

export class ExprGen {
  constructor(private env: ExprEnv) {}

  ty(e: Expr): Ty {
    switch (e.kind) {
      case 'num':
        return 'int';
      case 'str':
        return 'text';
      case 'var':
        return e.name === 'pid' || isErrnoName(e.name) ? 'int' : this.env.v(e.name).ty;
      case 'unary':
        return 'int';
      case 'binary':
        if (e.op === '+') return this.ty(e.left) === 'int' && this.ty(e.right) === 'int' ? 'int' : 'text';
        if (e.op === 'and') return this.ty(e.right);
        if (e.op === 'or') return this.ty(e.left) === 'int' && this.ty(e.right) === 'int' ? 'int' : 'text';
        return 'int';
    }
  }

  /** The most bytes the text of e can take. */
  bound(e: Expr): number {
    if (this.ty(e) === 'int') return LONG_CHARS;
    let n: number;
    switch (e.kind) {
      case 'str':
        n = 0;
        for (const p of e.parts) n += typeof p === 'string' ? byteLength(p) : this.bound(p);
        break;
      case 'var':
        n = this.env.v(e.name).size.n;
        break;
      case 'binary':
        n = e.op === '+' ? this.bound(e.left) + this.bound(e.right) : Math.max(this.bound(e.left), this.bound(e.right), 1);
        break;
      default:
        n = LONG_CHARS;
    }
    return Math.min(n, MAX_TEXT);
  }

  /** e as a C `long` (or int) expression. */
  int(e: Expr): CE {
    switch (e.kind) {
      case 'num':
        return e.value < 0 ? { c: String(e.value), p: 15 } : { c: String(e.value), p: 16 };
      case 'str':
        return this.toNumber(e);
      case 'var': {
        if (e.name === 'pid') return { c: '(long)getpid()', p: 15, long: true };
        if (isErrnoName(e.name)) return { c: e.name, p: 16 };
        const v = this.env.v(e.name);
        return v.ty === 'int' ? { c: v.c, p: 16, long: true } : this.toNumber(e);
      }
      case 'unary': {
        if (e.op === 'not') return this.not(e.arg);
        const a = this.int(e.arg);
        // parentheses keep "- -x" from reading as the decrement operator
        return { c: `-${a.p >= 16 && !a.c.startsWith('-') ? a.c : `(${a.c})`}`, p: 15, long: a.long };
      }
      case 'binary': {
        const { op } = e;
        if (COMPARE.has(op)) return this.compare(e.op, e.left, e.right);
        if (op === 'and' || op === 'or') {
          if (this.ty(e) === 'text') return this.toNumber(e);
          // the value of the last operand looked at, as in the playground (not just 0 or 1)
          const r = this.int(e.right);
          if (op === 'and') return { c: `${wrap(this.cond(e.left), 4)} ? ${wrap(r, 3)} : 0`, p: 3, long: r.long };
          const l = this.int(e.left);
          return { c: `${wrap(l, 10)} != 0 ? ${wrap(l, 3)} : ${wrap(r, 3)}`, p: 3, long: l.long || r.long };
        }
        if (op === '+' && this.ty(e) === 'text') return this.toNumber(e);
        const l = this.int(e.left);
        const r = this.int(e.right);
        const p = PREC[op];
        // (a % b) * c keeps its parentheses: clearer to read, as the program wrote it
        const mixed = p === 13 && e.left.kind === 'binary' && e.left.op !== op && PREC[e.left.op] === 13;
        return { c: `${mixed ? `(${l.c})` : wrap(l, p)} ${op} ${wrap(r, p + 1)}`, p, long: l.long || r.long };
      }
    }
  }

  private toNumber(e: Expr): CE {
    this.env.use(TO_NUMBER);
    return { c: `to_number(${this.ptr(e)})`, p: 16, long: true };
  }

  private not(arg: Expr): CE {
    if (arg.kind === 'binary' && (COMPARE.has(arg.op) || arg.op === 'and' || arg.op === 'or')) return { c: `!(${this.cond(arg).c})`, p: 15 };
    if (arg.kind === 'unary' && arg.op === 'not') return { c: `!${wrap(this.cond(arg), 15)}`, p: 15 };
    if (this.ty(arg) === 'text') return { c: `${this.ptr(arg)}[0] == '\\0'`, p: 9 };
    return { c: `${wrap(this.int(arg), 10)} == 0`, p: 9 };
  }

  private compare(op: BinaryOp, le: Expr, re: Expr): CE {
    const p = PREC[op];
    const lt = this.ty(le);
    const rt = this.ty(re);
    if (lt === 'text' && rt === 'text') return { c: `strcmp(${this.ptr(le)}, ${this.ptr(re)}) ${op} 0`, p };
    // text against a number compares as numbers ("5" == 5), as in the playground
    const l = this.int(le);
    const r = this.int(re);
    return { c: `${wrap(l, p + 1)} ${op} ${wrap(r, p + 1)}`, p };
  }

  /** e as a C condition: "" and 0 are false, anything else true. */
  cond(e: Expr): CE {
    if (e.kind === 'binary') {
      if (COMPARE.has(e.op)) return this.compare(e.op, e.left, e.right);
      // && inside || gets parentheses (gcc -Wparentheses asks for them)
      if (e.op === 'and') return { c: `${wrap(this.cond(e.left), 5)} && ${wrap(this.cond(e.right), 6)}`, p: 5 };
      if (e.op === 'or') return { c: `${wrap(this.cond(e.left), 6)} || ${wrap(this.cond(e.right), 6)}`, p: 4 };
    }
    if (e.kind === 'unary' && e.op === 'not') return this.not(e.arg);
    if (e.kind === 'num') return { c: e.value !== 0 ? '1' : '0', p: 16 };
    if (isConstantText(e)) return { c: e.parts.join('') !== '' ? '1' : '0', p: 16 };
    if (this.ty(e) === 'text') return { c: `${this.ptr(e)}[0] != '\\0'`, p: 9 };
    return { c: `${wrap(this.int(e), 10)} != 0`, p: 9 };
  }

  /** e as printf format text (without quotes) and its arguments. */
  fmt(e: Expr): { f: string; a: string[] } {
    switch (e.kind) {
      case 'num':
        return { f: String(e.value), a: [] };
      case 'str': {
        let f = '';
        const a: string[] = [];
        for (const p of e.parts) {
          if (typeof p === 'string') {
            // a NUL in a format would end it: %c with 0 writes the byte (and counts it)
            p.split('\0').forEach((piece, i) => {
              if (i) {
                f += '%c';
                a.push('0');
              }
              f += cString(piece, true).slice(1, -1);
            });
          } else {
            const x = this.fmt(p);
            f += x.f;
            a.push(...x.a);
          }
        }
        return { f, a };
      }
      case 'var': {
        if (e.name === 'pid') return { f: '%ld', a: ['(long)getpid()'] };
        if (isErrnoName(e.name)) return { f: '%d', a: [e.name] };
        const v = this.env.v(e.name);
        return v.ty === 'text' ? { f: '%s', a: [v.c] } : { f: '%ld', a: [v.c] };
      }
      case 'binary':
        if (this.ty(e) === 'text') {
          if (e.op === '+') {
            const l = this.fmt(e.left);
            const r = this.fmt(e.right);
            return { f: l.f + r.f, a: [...l.a, ...r.a] };
          }
          return { f: '%s', a: [this.ptr(e)] };
        }
    }
    const x = this.int(e);
    return { f: '%ld', a: [x.long ? x.c : `(long)(${x.c})`] };
  }

  /** True when e is text known when the program is written: no variables, no {}. */
  constText(e: Expr): string | undefined {
    if (isConstantText(e)) return e.parts.join('');
    return undefined;
  }

  /** e as a `const char *` C expression: a variable, a literal, or a scratch buffer filled first. */
  ptr(e: Expr): string {
    const k = this.constText(e);
    if (k !== undefined) return cString(k);
    if (e.kind === 'var' && this.ty(e) === 'text') return this.env.v(e.name).c;
    const t = this.env.temp(this.bound(e));
    if (e.kind === 'binary' && (e.op === 'and' || e.op === 'or') && this.ty(e) === 'text') {
      const pick = e.op === 'and' ? `${wrap(this.cond(e.left), 4)} ? ${this.ptr(e.right)} : "0"` : `${wrap(this.cond(e.left), 4)} ? ${this.ptr(e.left)} : ${this.ptr(e.right)}`;
      this.env.pre.push(`snprintf(${t}, sizeof ${t}, "%s", ${pick});`);
      return t;
    }
    const x = this.fmt(e);
    this.env.pre.push(fill(t, x, this.bound(e) >= MAX_TEXT));
    return t;
  }
}

/**
 * snprintf into a char array. When the text may not fit (capped at MAX_TEXT), the result is
 * looked at, and a cut is reported on stderr.
 */
export function fill(buf: string, x: { f: string; a: string[] }, mayNotFit: boolean): string {
  const call = `snprintf(${buf}, sizeof ${buf}, ${['"' + x.f + '"', ...x.a].join(', ')})`;
  return mayNotFit ? `if (${call} >= (int)sizeof ${buf}) fprintf(stderr, "text cut to %d bytes\\n", (int)sizeof ${buf} - 1);` : `${call};`;
}
