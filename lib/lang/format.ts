// Renders the syntax tree back to source: an expression, one statement on one line (for
// display, e.g. "blocked in: recv c1 as msg"), or a whole program.

import type { Expr, Handler, Program, RecvStmt, Stmt } from './ast';

const PREC: Record<string, number> = {
  or: 1, and: 2, '==': 3, '!=': 3, '<': 4, '<=': 4, '>': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6,
};
const UNARY_PREC = 7;

function escapeText(s: string): string {
  return s.replace(/[\\"{}\n\t\0]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\0' ? '\\0' : `\\${c}`));
}

function prec(e: Expr): number {
  if (e.kind === 'binary') return PREC[e.op];
  if (e.kind === 'unary') return UNARY_PREC;
  return 8;
}

export function formatExpr(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return String(e.value);
    case 'var':
      return e.name;
    case 'str':
      return '"' + e.parts.map((p) => (typeof p === 'string' ? escapeText(p) : `{${formatExpr(p)}}`)).join('') + '"';
    case 'unary': {
      const arg = prec(e.arg) < UNARY_PREC ? `(${formatExpr(e.arg)})` : formatExpr(e.arg);
      return e.op === 'not' ? `not ${arg}` : `-${arg}`;
    }
    case 'binary': {
      const p = PREC[e.op];
      const l = prec(e.left) < p ? `(${formatExpr(e.left)})` : formatExpr(e.left);
      const r = prec(e.right) <= p ? `(${formatExpr(e.right)})` : formatExpr(e.right);
      return `${l} ${e.op} ${r}`;
    }
  }
}

function recvText(s: RecvStmt): string {
  let out = `recv ${s.channel.name}`;
  if (s.size) out += ` ${formatExpr(s.size)}`;
  if (s.mtype) out += ` type ${formatExpr(s.mtype)}`;
  if (s.nowait) out += ' nowait';
  if (s.noerror) out += ' noerror';
  if (s.into !== undefined) out += ` as ${s.into}`;
  return out;
}

/** The line of a statement, `try ` first when it was written so. */
function head(s: Stmt): string {
  const text = bare(s);
  return 'try' in s && s.try ? `try ${text}` : text;
}

/** The line that opens a block statement, without the `{`; the whole line for others. */
function bare(s: Stmt): string {
  switch (s.kind) {
    case 'print':
      return `print ${formatExpr(s.value)}`;
    case 'send': {
      let out = `send ${s.channel.name}`;
      if (s.data) out += ` ${formatExpr(s.data)}`;
      if (s.mtype) out += ` type ${formatExpr(s.mtype)}`;
      if (s.priority) out += ` priority ${formatExpr(s.priority)}`;
      if (s.nowait) out += ' nowait';
      return out;
    }
    case 'recv':
      return recvText(s);
    case 'write':
      return `write ${s.channel.name} ${formatExpr(s.data)}` + (s.offset ? ` at ${formatExpr(s.offset)}` : '');
    case 'read':
      return `read ${s.channel.name} ${formatExpr(s.length)}` + (s.offset ? ` at ${formatExpr(s.offset)}` : '') + ` as ${s.into}`;
    case 'close':
    case 'lock':
    case 'unlock':
    case 'wait':
    case 'post':
    case 'nonblocking':
      return `${s.kind} ${s.channel.name}`;
    case 'trywait':
      return `trywait ${s.channel.name}` + (s.into !== 'ok' ? ` as ${s.into}` : '');
    case 'signal':
      return `signal ${s.target.name} ${s.signal}`;
    case 'pause':
    case 'break':
    case 'suspend':
      return s.kind;
    case 'alarm':
      return `alarm ${formatExpr(s.seconds)}`;
    case 'poll':
      return `poll ${s.channels.map((c) => c.name).join(' ')}` + (s.timeout ? ` timeout ${formatExpr(s.timeout)}` : '') + ` as ${s.into}`;
    case 'block':
    case 'unblock':
      return `${s.kind} ${s.signal}`;
    case 'sleep':
      return `sleep ${formatExpr(s.ms)}`;
    case 'set':
      return `set ${s.name} = ${formatExpr(s.value)}`;
    case 'exit':
      return s.code ? `exit ${formatExpr(s.code)}` : 'exit';
    case 'repeat':
      return `repeat ${formatExpr(s.count)}` + (s.counter !== 'i' ? ` as ${s.counter}` : '');
    case 'forever':
      return 'forever';
    case 'fork':
      return 'fork' + (s.into ? ` as ${s.into}` : '');
    case 'waitpid':
      return 'waitpid' + (s.pid ? ` ${formatExpr(s.pid)}` : '') + (s.into ? ` as ${s.into}` : '');
    case 'while':
      return `while ${formatExpr(s.cond)}`;
    case 'whileRecv':
      return `while ${recvText(s.recv)}`;
    case 'if':
      return `if ${formatExpr(s.cond)}`;
    case 'accept':
    case 'recvfd':
      return `${s.kind} ${s.channel.name} as ${s.into}`;
    case 'sendfd':
      return `sendfd ${s.channel.name} ${s.fd.name}`;
  }
}

function bodyOneLine(body: Stmt[]): string {
  if (body.length === 0) return '{ }';
  if (body.length === 1) return `{ ${formatStmt(body[0])} }`;
  return '{ … }';
}

/**
 * One statement on one line. A block shows its single statement inline, or `{ … }` when
 * it holds more (then the result is for display, not source).
 */
export function formatStmt(s: Stmt): string {
  switch (s.kind) {
    case 'repeat':
    case 'forever':
    case 'fork':
    case 'while':
    case 'whileRecv':
      return `${head(s)} ${bodyOneLine(s.body)}`;
    case 'if': {
      let out = `${head(s)} ${bodyOneLine(s.then)}`;
      if (s.else) out += s.else.length === 1 && s.else[0].kind === 'if' ? ` else ${formatStmt(s.else[0])}` : ` else ${bodyOneLine(s.else)}`;
      return out;
    }
    default:
      return head(s);
  }
}

/** `on SIGUSR1 { … }` on one line. */
export function formatHandler(h: Handler): string {
  return `${handlerHead(h)} ${bodyOneLine(h.body)}`;
}

function handlerHead(h: Handler): string {
  return `on ${h.signal}${h.interrupts ? ' interrupts' : ''}`;
}

function block(body: Stmt[], indent: string, out: string[]) {
  for (const s of body) stmtLines(s, indent, out);
}

function stmtLines(s: Stmt, indent: string, out: string[]) {
  const inner = indent + '  ';
  switch (s.kind) {
    case 'repeat':
    case 'forever':
    case 'fork':
    case 'while':
    case 'whileRecv':
      out.push(`${indent}${head(s)} {`);
      block(s.body, inner, out);
      out.push(`${indent}}`);
      return;
    case 'if': {
      out.push(`${indent}${head(s)} {`);
      block(s.then, inner, out);
      let els = s.else;
      while (els) {
        if (els.length === 1 && els[0].kind === 'if') {
          const e = els[0];
          out.push(`${indent}} else ${head(e)} {`);
          block(e.then, inner, out);
          els = e.else;
        } else {
          out.push(`${indent}} else {`);
          block(els, inner, out);
          els = undefined;
        }
      }
      out.push(`${indent}}`);
      return;
    }
    default:
      out.push(indent + head(s));
  }
}

/** The whole program as source, two spaces an indent level; handlers where they were written. */
export function formatProgram(p: Program): string {
  const items: ({ line: number; s: Stmt } | { line: number; h: Handler })[] = [
    ...p.body.map((s) => ({ line: s.pos.line, s })),
    ...p.handlers.map((h) => ({ line: h.pos.line, h })),
  ];
  items.sort((a, b) => a.line - b.line);
  const out: string[] = [];
  for (const it of items) {
    if ('s' in it) stmtLines(it.s, '', out);
    else {
      out.push(`${handlerHead(it.h)} {`);
      block(it.h.body, '  ', out);
      out.push('}');
    }
  }
  return out.join('\n') + (out.length ? '\n' : '');
}
