// The parser of the program language: source → Program (lib/lang/ast.ts).
// One statement a line; blocks `{ }` either over several lines (`{` ends the opening line,
// `}` starts the closing one) or on one line with one statement: `on SIGUSR1 { print "hi" }`.
// Never throws: each bad statement gives one error and the parser goes on at the next line.

import { TRYABLE, type BinaryOp, type ChannelRef, type DescriptorStmt, type Expr, type Handler, type LangError, type Pos, type ProcessRef, type Program, type RecvStmt, type Stmt } from './ast';
import { describe, lex, lexLine, type StrPart, type Token } from './lexer';

/** Deepest nesting of blocks, and of parentheses / unary operators in one expression. */
export const MAX_DEPTH = 64;
/** Binary operators in one statement at most (keeps the syntax tree shallow for its walkers). */
export const MAX_OPERATORS = 256;
/** Errors reported at most; one more says that the rest were left out. */
export const MAX_ERRORS = 100;

/** Words that start a statement. */
export const STATEMENT_KEYWORDS = [
  'print', 'send', 'recv', 'write', 'read', 'close', 'lock', 'unlock', 'wait', 'post', 'trywait',
  'signal', 'pause', 'sleep', 'set', 'exit', 'break', 'repeat', 'forever', 'while', 'if', 'on',
  'try', 'nonblocking', 'alarm', 'block', 'unblock', 'suspend', 'poll', 'fork', 'waitpid',
  'accept', 'sendfd', 'recvfd',
] as const;
/** Every reserved word: none of them can name a variable. */
export const KEYWORDS: ReadonlySet<string> = new Set<string>([
  ...STATEMENT_KEYWORDS, 'else', 'as', 'at', 'type', 'priority', 'nowait', 'noerror', 'timeout', 'and', 'or', 'not',
]);

/** Drops keys whose value is undefined, so optional parts are absent rather than undefined. */
function prune<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

class ParseError {
  constructor(
    readonly line: number,
    readonly col: number,
    readonly message: string,
    /** Already reported (by the lexer): drop the statement without a second message. */
    readonly silent = false,
  ) {}
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 99;
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        d[0][j] = j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let x = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) x = Math.min(x, d[i - 2][j - 2] + 1);
      d[i][j] = x;
    }
  }
  return d[a.length][b.length];
}

/** The closest word within 1 edit (2 for words of 6 letters or more), or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const dist = editDistance(w, c.toLowerCase());
    // Short names (c1, c2, ...) are all one edit apart: guessing among them would mislead.
    const limit = c.length < 4 ? 0 : Math.min(2, Math.floor(c.length / 3));
    if (dist <= limit && dist < bestD) {
      best = c;
      bestD = dist;
    }
  }
  return best;
}

/** `USR1`, `usr1`, `SIGUSR1` → `SIGUSR1`. */
export function normalizeSignal(name: string): string {
  const up = name.toUpperCase();
  return up.startsWith('SIG') ? up : `SIG${up}`;
}

/** Words that follow a statement's main part: `as`, `at`, `type`, `priority`. */
const MODIFIERS: ReadonlySet<string> = new Set(['as', 'at', 'type', 'priority', 'nowait', 'noerror', 'timeout']);

const PREC: Record<string, number> = {
  or: 1, and: 2, '==': 3, '!=': 3, '<': 4, '<=': 4, '>': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6,
};

class Parser {
  private i = 0;
  private blockDepth = 0;
  private exprDepth = 0;
  private operators = 0;

  constructor(
    private toks: Token[],
    private errors: LangError[],
  ) {}

  // ---- tokens --------------------------------------------------------------------------

  private peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)];
  }
  private next(): Token {
    const t = this.peek();
    if (t.t !== 'eof') this.i++;
    return t;
  }
  private isOp(tok: Token, v: string): boolean {
    return tok.t === 'op' && tok.v === v;
  }
  private isWord(tok: Token, v: string): boolean {
    return tok.t === 'ident' && tok.v === v;
  }
  /** The end of a statement: end of line, or the `}` closing a one-line block. */
  private atEnd(inline: boolean): boolean {
    const t = this.peek();
    return t.t === 'nl' || t.t === 'eof' || (inline && this.isOp(t, '}'));
  }
  private fail(tok: Token, message: string): never {
    if (tok.t === 'bad') throw new ParseError(tok.line, tok.col, message, true);
    throw new ParseError(tok.line, tok.col, message);
  }
  private report(e: ParseError) {
    if (!e.silent) this.errors.push({ line: e.line, col: e.col, message: e.message });
  }
  private pos(tok: Token): Pos {
    return { line: tok.line, col: tok.col };
  }

  /**
   * After an error: skip the rest of the statement. Braces opened on the way are followed
   * to their close, over lines if need be, so a broken block header does not unbalance the
   * blocks around it. In a one-line block, stops before the `}` that closes it.
   */
  private recover(inline: boolean) {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.t === 'eof') return;
      if (t.t === 'nl' && depth <= 0) return;
      if (this.isOp(t, '{')) depth++;
      else if (this.isOp(t, '}')) {
        if (depth === 0 && inline) return;
        depth--;
      }
      this.next();
    }
  }

  // ---- program and blocks --------------------------------------------------------------

  parseProgram(): Program {
    const body: Stmt[] = [];
    const handlers: Handler[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t === 'eof') break;
      if (t.t === 'nl') {
        this.next();
        continue;
      }
      if (this.isOp(t, '}')) {
        this.report(new ParseError(t.line, t.col, "unexpected '}': no block is open here"));
        this.next();
        this.recover(false);
        continue;
      }
      try {
        if (this.isWord(t, 'on')) handlers.push(this.parseHandler());
        else body.push(this.parseStatement(false));
        this.expectEnd(false);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.report(e);
        this.recover(false);
      }
    }
    return { body, handlers };
  }

  /** The end of a statement must follow; anything else is an error at that token. */
  private expectEnd(inline: boolean) {
    if (this.atEnd(inline)) return;
    const t = this.peek();
    if (this.isOp(t, '{')) this.fail(t, `unexpected '{': only repeat, forever, while, if, else, fork and on open a block`);
    if (this.isOp(t, '}')) this.fail(t, "unexpected '}': a closing '}' goes on its own line (or ends a one-line block)");
    if (this.isOp(t, ')')) this.fail(t, "unexpected ')': no '(' is open");
    if (this.isWord(t, 'else')) this.fail(t, "unexpected 'else': else goes only right after the '}' of an if block");
    this.fail(t, `unexpected ${describe(t)}: one statement per line`);
  }

  /** `{` then either a newline and statements up to a `}` line, or one statement and `}`. */
  private parseBlock(what: string): Stmt[] {
    const open = this.peek();
    if (!this.isOp(open, '{')) {
      if (open.t === 'nl' || open.t === 'eof') this.fail(open, `expected '{' at the end of the ${what} line`);
      this.fail(open, `expected '{' to open the ${what} block, found ${describe(open)}`);
    }
    if (this.blockDepth >= MAX_DEPTH) this.fail(open, `blocks nested too deeply (more than ${MAX_DEPTH} levels)`);
    this.next();
    this.blockDepth++;
    try {
      const after = this.peek();
      if (after.t === 'nl' || after.t === 'eof') return this.parseLines(open, what);
      return this.parseInline(open, what);
    } finally {
      this.blockDepth--;
    }
  }

  private parseLines(open: Token, what: string): Stmt[] {
    const body: Stmt[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t === 'eof') {
        this.errors.push({ line: open.line, col: open.col, message: `missing '}': the ${what} block opened here is never closed` });
        return body;
      }
      if (t.t === 'nl') {
        this.next();
        continue;
      }
      if (this.isOp(t, '}')) {
        this.next();
        return body;
      }
      try {
        if (this.isWord(t, 'on')) {
          this.parseHandler();
          this.fail(t, 'on SIGNAL { } handlers go at the top level of the program, not inside a block');
        }
        body.push(this.parseStatement(false));
        this.expectEnd(false);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.report(e);
        this.recover(false);
      }
    }
  }

  private parseInline(open: Token, what: string): Stmt[] {
    const body: Stmt[] = [];
    if (this.isOp(this.peek(), '}')) {
      this.next();
      return body;
    }
    const t = this.peek();
    try {
      if (this.isWord(t, 'on')) {
        this.parseHandler();
        this.fail(t, 'on SIGNAL { } handlers go at the top level of the program, not inside a block');
      }
      body.push(this.parseStatement(true));
      this.expectEnd(true);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.report(e);
      this.recover(true);
    }
    const close = this.peek();
    if (this.isOp(close, '}')) {
      this.next();
      return body;
    }
    this.errors.push({
      line: open.line,
      col: open.col,
      message: `missing '}': a one-line ${what} block holds one statement and ends with '}' (or put the statements on their own lines)`,
    });
    return body;
  }

  private parseHandler(): Handler {
    const on = this.next();
    const sig = this.peek();
    if (sig.t !== 'ident') this.fail(sig, 'expected a signal name after on, e.g. on SIGUSR1 {');
    this.next();
    const interrupts = this.isWord(this.peek(), 'interrupts');
    if (interrupts) this.next();
    const body = this.parseBlock('on');
    return prune({ signal: normalizeSignal(sig.v), interrupts: interrupts || undefined, body, pos: this.pos(on) });
  }

  // ---- statements ----------------------------------------------------------------------

  private parseStatement(inline: boolean): Stmt {
    this.operators = 0;
    const t = this.peek();
    if (t.t !== 'ident') {
      if (t.t === 'bad') this.fail(t, '');
      if (t.t === 'str') this.fail(t, 'a line cannot start with a string: did you mean print "..."?');
      this.fail(t, `expected a statement, found ${describe(t)}`);
    }
    const pos = this.pos(t);
    switch (t.v) {
      case 'print':
        this.next();
        return { kind: 'print', value: this.parseExprRequired('print needs a value, e.g. print "hello"'), pos };
      case 'send':
        return this.parseSend(inline);
      case 'recv':
        return this.parseRecv(inline);
      case 'write': {
        this.next();
        const channel = this.parseChannel('write');
        const data = this.parseExprRequired('write needs the text to write, e.g. write mem "hello"');
        let offset: Expr | undefined;
        if (this.isWord(this.peek(), 'at')) {
          this.next();
          offset = this.parseExprRequired('expected the byte offset after at');
        }
        return prune({ kind: 'write', channel, data, offset, pos });
      }
      case 'read': {
        this.next();
        const channel = this.parseChannel('read');
        const length = this.parseExprRequired('read needs the number of bytes, e.g. read mem 16 as text');
        let offset: Expr | undefined;
        let into: string | undefined;
        for (;;) {
          const m = this.peek();
          if (this.isWord(m, 'at')) {
            if (offset) this.fail(m, "'at' given twice");
            this.next();
            offset = this.parseExprRequired('expected the byte offset after at');
          } else if (this.isWord(m, 'as')) {
            if (into !== undefined) this.fail(m, "'as' given twice");
            this.next();
            into = this.parseVarName('as');
          } else break;
        }
        if (into === undefined) this.fail(this.peek(), 'read needs a variable for the bytes: read mem 16 as text');
        return prune({ kind: 'read', channel, length, offset, into, pos });
      }
      case 'close':
      case 'lock':
      case 'unlock':
      case 'wait':
      case 'post': {
        const kind = t.v;
        this.next();
        const channel = this.parseChannel(kind);
        return { kind, channel, pos };
      }
      case 'trywait': {
        this.next();
        const channel = this.parseChannel('trywait');
        let into = 'ok';
        if (this.isWord(this.peek(), 'as')) {
          this.next();
          into = this.parseVarName('as');
        }
        return { kind: 'trywait', channel, into, pos };
      }
      case 'signal': {
        this.next();
        const p = this.peek();
        if (p.t !== 'ident') this.fail(p, 'signal needs a process and a signal, e.g. signal child SIGUSR1');
        const target: ProcessRef = { name: this.parseDashedName(), pos: this.pos(p) };
        const s = this.peek();
        if (s.t !== 'ident') {
          if (s.t === 'num') this.fail(s, 'write the signal by name, e.g. SIGUSR1 (not a number)');
          this.fail(s, `signal needs a signal name after the process, e.g. signal ${target.name} SIGUSR1`);
        }
        this.next();
        return { kind: 'signal', target, signal: normalizeSignal(s.v), pos };
      }
      case 'pause':
        this.next();
        return { kind: 'pause', pos };
      case 'suspend':
        this.next();
        return { kind: 'suspend', pos };
      case 'try': {
        this.next();
        const what = this.peek();
        if (what.t !== 'ident' || !(TRYABLE as readonly string[]).includes(what.v)) {
          this.fail(what, `try goes before a call that can fail: ${TRYABLE.join(', ')} (e.g. try recv c1 as msg)`);
        }
        const inner = this.parseStatement(inline) as Extract<Stmt, { kind: (typeof TRYABLE)[number] }>;
        inner.try = true;
        return inner;
      }
      case 'poll': {
        this.next();
        const channels: ChannelRef[] = [];
        while (this.peek().t === 'ident' && !this.isWord(this.peek(), 'timeout') && !this.isWord(this.peek(), 'as')) channels.push(this.parseChannel('poll'));
        if (channels.length === 0) this.fail(this.peek(), 'poll needs the channels to watch, e.g. poll c1 c2 timeout 500 as ready');
        let timeout: Expr | undefined;
        if (this.isWord(this.peek(), 'timeout')) {
          this.next();
          timeout = this.parseExprRequired('expected milliseconds after timeout, e.g. timeout 500');
        }
        if (!this.isWord(this.peek(), 'as')) this.fail(this.peek(), 'poll needs a variable for the ready channel: poll c1 c2 as ready');
        this.next();
        const into = this.parseVarName('as');
        return prune({ kind: 'poll', channels, timeout, into, pos });
      }
      case 'nonblocking': {
        this.next();
        return { kind: 'nonblocking', channel: this.parseChannel('nonblocking'), pos };
      }
      case 'alarm':
        this.next();
        return { kind: 'alarm', seconds: this.parseExprRequired('alarm needs a time in seconds, e.g. alarm 2 (0 cancels)'), pos };
      case 'block':
      case 'unblock': {
        const kind = t.v;
        this.next();
        const s = this.peek();
        if (s.t !== 'ident') this.fail(s, `${kind} needs a signal name, e.g. ${kind} SIGUSR1`);
        this.next();
        return { kind, signal: normalizeSignal(s.v), pos };
      }
      case 'break':
        this.next();
        return { kind: 'break', pos };
      case 'sleep':
        this.next();
        return { kind: 'sleep', ms: this.parseExprRequired('sleep needs a time in milliseconds, e.g. sleep 500'), pos };
      case 'exit': {
        this.next();
        if (this.atEnd(inline)) return { kind: 'exit', pos };
        return { kind: 'exit', code: this.parseExpr(), pos };
      }
      case 'set': {
        this.next();
        const name = this.parseVarName('set');
        const eq = this.peek();
        if (!this.isOp(eq, '=')) {
          if (this.isOp(eq, '==')) this.fail(eq, `write set ${name} = value (one =)`);
          this.fail(eq, `expected '=' after set ${name}`);
        }
        this.next();
        return { kind: 'set', name, value: this.parseExprRequired(`expected a value after set ${name} =`), pos };
      }
      case 'repeat': {
        this.next();
        const count = this.parseExprRequired('repeat needs a count, e.g. repeat 3 {');
        let counter = 'i';
        if (this.isWord(this.peek(), 'as')) {
          this.next();
          counter = this.parseVarName('as');
        }
        return { kind: 'repeat', count, counter, body: this.parseBlock('repeat'), pos };
      }
      case 'forever':
        this.next();
        return { kind: 'forever', body: this.parseBlock('forever'), pos };
      case 'fork': {
        this.next();
        let into: string | undefined;
        if (this.isWord(this.peek(), 'as')) {
          this.next();
          into = this.parseVarName('as');
        }
        return prune({ kind: 'fork', into, body: this.parseBlock('fork'), pos });
      }
      case 'waitpid': {
        this.next();
        const pid = this.atEnd(inline) || this.isWord(this.peek(), 'as') ? undefined : this.parseExpr();
        let into: string | undefined;
        if (this.isWord(this.peek(), 'as')) {
          this.next();
          into = this.parseVarName('as');
        }
        return prune({ kind: 'waitpid', pid, into, pos });
      }
      case 'while': {
        this.next();
        if (this.isWord(this.peek(), 'recv')) {
          const recv = this.parseRecv(inline);
          return { kind: 'whileRecv', recv, body: this.parseBlock('while'), pos };
        }
        const cond = this.parseExprRequired('while needs a condition, e.g. while n < 10 {');
        return { kind: 'while', cond, body: this.parseBlock('while'), pos };
      }
      case 'accept':
      case 'sendfd':
      case 'recvfd':
        return this.parseDescriptor(t.v, pos);
      case 'if':
        return this.parseIf();
      case 'else':
        return this.fail(t, "else without if: write '} else {' right after the if block's '}'");
      case 'on':
        return this.fail(t, 'on SIGNAL { } handlers go at the top level of the program, not inside a block');
      default: {
        const after = this.peek(1);
        if (this.isOp(after, '=') && !KEYWORDS.has(t.v)) this.fail(t, `to give a variable a value write: set ${t.v} = ...`);
        const maybe = didYouMean(t.v, STATEMENT_KEYWORDS);
        if (maybe) this.fail(t, `unknown statement '${t.v}' (did you mean ${maybe}?)`);
        this.fail(t, `unknown statement '${t.v}' (statements: ${STATEMENT_KEYWORDS.join(', ')})`);
      }
    }
  }

  private parseIf(): Stmt {
    const t = this.next();
    const cond = this.parseExprRequired('if needs a condition, e.g. if n > 3 {');
    const then = this.parseBlock('if');
    let els: Stmt[] | undefined;
    // `} else` on the same line, or `else` at the start of the next line.
    let e = this.peek();
    if (e.t === 'nl' && this.isWord(this.peek(1), 'else')) {
      this.next();
      e = this.peek();
    }
    if (this.isWord(e, 'else')) {
      this.next();
      const elseIf = this.peek();
      if (this.isWord(elseIf, 'if')) {
        // `else if` nests one more `if` in the tree: it counts as a level of nesting.
        if (this.blockDepth >= MAX_DEPTH) this.fail(elseIf, `blocks nested too deeply (more than ${MAX_DEPTH} levels; each 'else if' counts as one)`);
        this.blockDepth++;
        try {
          els = [this.parseIf()];
        } finally {
          this.blockDepth--;
        }
      } else {
        els = this.parseBlock('else');
      }
    }
    return prune({ kind: 'if', cond, then, else: els, pos: this.pos(t) });
  }

  private parseSend(inline: boolean): Stmt {
    const t = this.next();
    const channel = this.parseChannel('send');
    let data: Expr | undefined;
    const first = this.peek();
    if (!this.atEnd(inline) && !this.isWord(first, 'type') && !this.isWord(first, 'priority') && !this.isWord(first, 'nowait')) data = this.parseExpr();
    let mtype: Expr | undefined;
    let priority: Expr | undefined;
    let nowait: true | undefined;
    for (;;) {
      const m = this.peek();
      if (this.isWord(m, 'nowait')) {
        if (nowait) this.fail(m, "'nowait' given twice");
        this.next();
        nowait = true;
      } else if (this.isWord(m, 'type')) {
        if (mtype) this.fail(m, "'type' given twice");
        this.next();
        mtype = this.parseExprRequired('expected the message type after type, e.g. type 2');
      } else if (this.isWord(m, 'priority')) {
        if (priority) this.fail(m, "'priority' given twice");
        this.next();
        priority = this.parseExprRequired('expected the priority after priority, e.g. priority 5');
      } else if (this.isWord(m, 'as')) {
        this.fail(m, "send takes no 'as': to receive, use recv CH as NAME");
      } else break;
    }
    return prune({ kind: 'send', channel, data, mtype, priority, nowait, pos: this.pos(t) });
  }

  /** `accept srv as conn`, `sendfd sock conn`, `recvfd sock as conn`. */
  private parseDescriptor(kind: DescriptorStmt['kind'], pos: Pos): DescriptorStmt {
    this.next();
    const channel = this.parseChannel(kind);
    if (kind === 'sendfd') {
      const p = this.peek();
      if (p.t !== 'ident') this.fail(p, 'sendfd needs the descriptor to pass: a connection or a channel, e.g. sendfd sock conn');
      return { kind, channel, fd: this.parseChannel('sendfd'), pos };
    }
    if (!this.isWord(this.peek(), 'as')) this.fail(this.peek(), `${kind} needs a name for the connection: ${kind} ${channel.name} as conn`);
    this.next();
    return { kind, channel, into: this.parseVarName('as'), pos };
  }

  private parseRecv(inline: boolean): RecvStmt {
    const t = this.next();
    const channel = this.parseChannel('recv');
    let size: Expr | undefined;
    const first = this.peek();
    if (!this.atEnd(inline) && !['type', 'as', 'nowait', 'noerror'].some((w) => this.isWord(first, w)) && !this.isOp(first, '{')) {
      size = this.parseExpr();
    }
    let mtype: Expr | undefined;
    let into: string | undefined;
    let nowait = false;
    let noerror = false;
    for (;;) {
      const m = this.peek();
      if (this.isWord(m, 'nowait')) {
        if (nowait) this.fail(m, "'nowait' given twice");
        this.next();
        nowait = true;
      } else if (this.isWord(m, 'noerror')) {
        if (noerror) this.fail(m, "'noerror' given twice");
        this.next();
        noerror = true;
      } else if (this.isWord(m, 'type')) {
        if (mtype) this.fail(m, "'type' given twice");
        this.next();
        mtype = this.parseExprRequired('expected the message type after type, e.g. type 2 (0 = any)');
      } else if (this.isWord(m, 'as')) {
        if (into !== undefined) this.fail(m, "'as' given twice");
        this.next();
        into = this.parseVarName('as');
      } else if (this.isWord(m, 'priority')) {
        this.fail(m, 'recv takes no priority: mq_receive(3) always gives the highest priority message first');
      } else break;
    }
    const r: RecvStmt = { kind: 'recv', channel, pos: this.pos(t) };
    if (size) r.size = size;
    if (mtype) r.mtype = mtype;
    if (into !== undefined) r.into = into;
    if (nowait) r.nowait = true;
    if (noerror) r.noerror = true;
    return r;
  }

  /** A name of letters, digits, `_` and `-`, written without spaces (channel or process). */
  private parseDashedName(): string {
    const first = this.next();
    if (first.t !== 'ident') this.fail(first, 'expected a name');
    let name = first.v;
    let end = first.end;
    for (;;) {
      const dash = this.peek();
      const part = this.peek(1);
      if (this.isOp(dash, '-') && dash.line === first.line && dash.col === end && (part.t === 'ident' || part.t === 'num') && part.col === dash.end) {
        name += '-' + (part.t === 'ident' ? part.v : part.raw);
        end = part.end;
        this.next();
        this.next();
      } else break;
    }
    return name;
  }

  private parseChannel(verb: string): ChannelRef {
    const t = this.peek();
    if (t.t !== 'ident') {
      if (t.t === 'nl' || t.t === 'eof') this.fail(t, `${verb} needs a channel, e.g. ${verb} c1`);
      this.fail(t, `expected a channel name after ${verb}, found ${describe(t)}`);
    }
    return { name: this.parseDashedName(), pos: this.pos(t) };
  }

  private parseVarName(after: string): string {
    const t = this.peek();
    if (t.t !== 'ident') this.fail(t, `expected a variable name after ${after}, found ${describe(t)}`);
    if (KEYWORDS.has(t.v)) this.fail(t, `'${t.v}' is a keyword and cannot name a variable: choose another name`);
    this.next();
    const d = this.peek();
    if (this.isOp(d, '-') && d.col === t.end && d.line === t.line) {
      this.fail(d, "variable names hold letters, digits and _ (no '-')");
    }
    return t.v;
  }

  // ---- expressions ---------------------------------------------------------------------

  private parseExprRequired(message: string): Expr {
    const t = this.peek();
    if (t.t === 'nl' || t.t === 'eof' || this.isOp(t, '{') || this.isOp(t, '}')) this.fail(t, message);
    // `read mem as x`: the value was left out. (`print type` alone: a keyword used as a name.)
    const after = this.peek(1);
    if (t.t === 'ident' && MODIFIERS.has(t.v) && after.t !== 'nl' && after.t !== 'eof') this.fail(t, message);
    return this.parseExpr();
  }

  parseExpr(): Expr {
    return this.parseBinary(1);
  }

  private parseBinary(minPrec: number): Expr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      let op: string | undefined;
      if (t.t === 'op' && t.v in PREC) op = t.v;
      else if (t.t === 'ident' && (t.v === 'and' || t.v === 'or')) op = t.v;
      else if (this.isOp(t, '=')) this.fail(t, 'use == to compare (= is only for set NAME = value)');
      if (op === undefined) return left;
      const prec = PREC[op];
      if (prec < minPrec) return left;
      if (++this.operators > MAX_OPERATORS) this.fail(t, `expression too long (more than ${MAX_OPERATORS} operators): split it with set`);
      this.next();
      const right = this.parseBinary(prec + 1);
      left = { kind: 'binary', op: op as BinaryOp, left, right, pos: left.pos };
    }
  }

  private enter(tok: Token) {
    if (++this.exprDepth > MAX_DEPTH) this.fail(tok, `expression nested too deeply (more than ${MAX_DEPTH} levels)`);
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (this.isOp(t, '-') || this.isWord(t, 'not')) {
      this.enter(t);
      try {
        this.next();
        const arg = this.parseUnary();
        return { kind: 'unary', op: t.t === 'op' ? '-' : 'not', arg, pos: this.pos(t) };
      } finally {
        this.exprDepth--;
      }
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.t) {
      case 'num':
        this.next();
        return { kind: 'num', value: t.v, pos: this.pos(t) };
      case 'str':
        this.next();
        return { kind: 'str', parts: this.parseStrParts(t.parts), pos: this.pos(t) };
      case 'ident': {
        if (KEYWORDS.has(t.v)) {
          if (t.v === 'recv' || t.v === 'read') this.fail(t, `'${t.v}' is a statement, not a value: first ${t.v} ... as x, then use x`);
          this.fail(t, `'${t.v}' is a keyword, not a value (it cannot name a variable)`);
        }
        this.next();
        const d = this.peek();
        if (this.isOp(d, '(') && d.col === t.end) this.fail(d, `there are no functions: '${t.v}(' is not valid`);
        return { kind: 'var', name: t.v, pos: this.pos(t) };
      }
      case 'op':
        if (t.v === '(') {
          this.enter(t);
          try {
            this.next();
            const inner = this.parseExprRequired("expected a value after '('");
            const close = this.peek();
            if (!this.isOp(close, ')')) this.fail(close, `expected ')' to close the '(' at column ${t.col}, found ${describe(close)}`);
            this.next();
            return inner;
          } finally {
            this.exprDepth--;
          }
        }
        if (t.v === ')') this.fail(t, "unexpected ')': no '(' is open");
        return this.fail(t, `expected a value, found ${describe(t)}`);
      case 'bad':
        return this.fail(t, '');
      default:
        this.fail(t, `expected a value, found ${describe(t)}`);
    }
  }

  /** Text parts and `{expr}` parts of a string, alternating: text, expr, text, ..., text. */
  private parseStrParts(parts: StrPart[]): (string | Expr)[] {
    // The lexer already alternates them, starting and ending with text (maybe empty).
    return parts.map((p) => ('text' in p ? p.text : this.parseInterpolation(p)));
  }

  private parseInterpolation(p: { src: string; line: number; col: number }): Expr {
    const errs: LangError[] = [];
    const toks = lexLine(p.src, p.line, p.col - 1, errs, true);
    for (const e of errs) this.errors.push(e);
    const eol: Token = { t: 'nl', line: p.line, col: p.col + p.src.length, end: p.col + p.src.length };
    if (toks.length === 0) this.fail(eol, 'empty {} in a string: put a value inside, or write \\{ \\} for literal braces');
    toks.push(eol);
    const sub = new Parser(toks, this.errors);
    sub.exprDepth = this.exprDepth;
    const e = sub.parseExpr();
    const rest = sub.peek();
    if (rest.t !== 'nl') sub.fail(rest, `unexpected ${describe(rest)} inside {...} in a string`);
    return e;
  }
}

/** Parses a program. Never throws; `errors` is sorted by line and column. */
export function parse(source: string): { program: Program; errors: LangError[] } {
  const errors: LangError[] = [];
  let program: Program = { body: [], handlers: [] };
  try {
    const toks = lex(String(source ?? ''), errors);
    program = new Parser(toks, errors).parseProgram();
  } catch (e) {
    // A bug, not a user error: still report it in place rather than throwing at the caller.
    errors.push({ line: 1, col: 1, message: `internal parser error: ${e instanceof Error ? e.message : String(e)}` });
  }
  errors.sort((a, b) => a.line - b.line || a.col - b.col);
  if (errors.length > MAX_ERRORS) {
    const last = errors[MAX_ERRORS - 1];
    errors.length = MAX_ERRORS;
    errors.push({ line: last.line, col: last.col, message: `too many errors; only the first ${MAX_ERRORS} are shown` });
  }
  return { program, errors };
}
