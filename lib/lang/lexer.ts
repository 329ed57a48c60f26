// The lexer of the program language: source text → tokens, one `nl` token at the end of
// every line. Never throws; lexical errors go to the `errors` array and a `bad` token
// stands in for what could not be read, so the parser drops that statement quietly.

import type { LangError } from './ast';

/** Text of a string literal, or an interpolated `{expr}` with its source and place. */
export type StrPart = { text: string } | { src: string; line: number; col: number };

export type Token =
  | { t: 'ident'; v: string; line: number; col: number; end: number }
  | { t: 'num'; v: number; raw: string; line: number; col: number; end: number }
  | { t: 'str'; parts: StrPart[]; line: number; col: number; end: number }
  | { t: 'op'; v: string; line: number; col: number; end: number }
  | { t: 'bad'; v: string; line: number; col: number; end: number }
  | { t: 'nl'; line: number; col: number; end: number }
  | { t: 'eof'; line: number; col: number; end: number };

const OPS2 = ['==', '!=', '<=', '>='];
const OPS1 = '+-*/%<>=(){}';

const isIdentStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdentChar = (c: string) => isIdentStart(c) || isDigit(c);

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\', '{': '{', '}': '}', '0': '\0' };

/** Describes a token for messages: `'print'`, `'{'`, `end of line`. */
export function describe(tok: Token): string {
  switch (tok.t) {
    case 'ident':
      return `'${tok.v}'`;
    case 'num':
      return `'${tok.raw}'`;
    case 'str':
      return 'a string';
    case 'op':
    case 'bad':
      return `'${tok.v}'`;
    case 'nl':
      return 'the end of the line';
    case 'eof':
      return 'the end of the program';
  }
}

/**
 * Tokens of one line of text (no newline inside). `colOffset` is added to columns, for
 * the inside of a `{expr}` in a string. Comments are dropped. No `nl` token is added.
 */
export function lexLine(text: string, line: number, colOffset: number, errors: LangError[], inString = false): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  const err = (col: number, message: string) => errors.push({ line, col: col + colOffset, message });
  while (i < n) {
    const c = text[i];
    const col = i + 1 + colOffset;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '#') {
      if (inString) {
        err(i + 1, "'#' is not allowed inside {...} in a string");
        out.push({ t: 'bad', v: '#', line, col, end: col + 1 });
        i++;
        continue;
      }
      break;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(text[j])) j++;
      out.push({ t: 'ident', v: text.slice(i, j), line, col, end: j + 1 + colOffset });
      i = j;
      continue;
    }
    if (isDigit(c)) {
      let j = i;
      let value: number;
      let ok = true;
      if (c === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
        j = i + 2;
        while (j < n && /[0-9a-fA-F]/.test(text[j])) j++;
        if (j === i + 2) ok = false;
        value = ok ? parseInt(text.slice(i + 2, j), 16) : NaN;
      } else {
        while (j < n && isDigit(text[j])) j++;
        value = parseInt(text.slice(i, j), 10);
      }
      if (j < n && text[j] === '.' && isDigit(text[j + 1] ?? '')) {
        while (j < n && (isDigit(text[j]) || text[j] === '.')) j++;
        err(i + 1, `'${text.slice(i, j)}': only whole numbers (integers) are supported`);
        ok = false;
      } else if (j < n && isIdentChar(text[j])) {
        while (j < n && isIdentChar(text[j])) j++;
        err(i + 1, `'${text.slice(i, j)}' is not a number (names start with a letter or _; hex numbers start with 0x)`);
        ok = false;
      } else if (!ok) {
        err(i + 1, `'${text.slice(i, j)}' is not a number: write hex digits after 0x`);
      } else if (!Number.isSafeInteger(value)) {
        err(i + 1, `number '${text.slice(i, j)}' is too large (at most ${Number.MAX_SAFE_INTEGER})`);
        ok = false;
      }
      const raw = text.slice(i, j);
      if (ok) out.push({ t: 'num', v: value, raw, line, col, end: j + 1 + colOffset });
      else out.push({ t: 'bad', v: raw, line, col, end: j + 1 + colOffset });
      i = j;
      continue;
    }
    if (c === '"') {
      if (inString) {
        err(i + 1, "a string cannot hold another string inside {...}: close the { with } first");
        out.push({ t: 'bad', v: '"', line, col, end: col + 1 });
        i++;
        continue;
      }
      const r = lexString(text, i, line, colOffset, errors);
      out.push(r.tok);
      i = r.next;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (OPS2.includes(two)) {
      out.push({ t: 'op', v: two, line, col, end: col + 2 });
      i += 2;
      continue;
    }
    if (OPS1.includes(c)) {
      out.push({ t: 'op', v: c, line, col, end: col + 1 });
      i++;
      continue;
    }
    // Anything else: one code point, reported once per run of bad characters.
    const cp = String.fromCodePoint(text.codePointAt(i)!);
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this shows escaped
    const shown = /[\x00-\x1f\x7f]/.test(cp) ? `\\x${cp.charCodeAt(0).toString(16).padStart(2, '0')}` : cp;
    let hint = '';
    if (cp === "'") hint = ': strings use double quotes "..."';
    else if (cp === '&' || cp === '|') hint = ': write and / or';
    else if (cp === '!') hint = ': write not (or != to compare)';
    else if (cp === ';') hint = ': one statement per line, no ;';
    else if (cp === '[' || cp === ']') hint = ': there are no arrays';
    const prev = out[out.length - 1];
    if (!(prev && prev.t === 'bad' && prev.end === col)) err(i + 1, `unexpected character '${shown}'${hint}`);
    out.push({ t: 'bad', v: cp, line, col, end: col + cp.length });
    i += cp.length;
  }
  return out;
}

/** A string literal starting at text[start] === '"'. */
function lexString(text: string, start: number, line: number, colOffset: number, errors: LangError[]): { tok: Token; next: number } {
  const parts: StrPart[] = [];
  let buf = '';
  let i = start + 1;
  const n = text.length;
  const col = start + 1 + colOffset;
  let closed = false;
  let unclosedUntil = -1;
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      closed = true;
      i++;
      break;
    }
    if (c === '\\') {
      const e = text[i + 1];
      if (e !== undefined && e in ESCAPES) {
        buf += ESCAPES[e];
        i += 2;
      } else {
        errors.push({
          line,
          col: i + 1 + colOffset,
          message: e === undefined ? 'a string cannot end with a lone \\' : `unknown escape \\${e} (use \\n, \\t, \\", \\\\, \\{ or \\})`,
        });
        i += e === undefined ? 1 : 2;
      }
      continue;
    }
    if (c === '{') {
      // `{expr}`: up to the first `}`; a `"` or the end of the line first means it was not closed
      // (and then no other `{` before that point can be closed either: no second scan).
      let j = i < unclosedUntil ? unclosedUntil : i + 1;
      while (j < n && text[j] !== '}' && text[j] !== '"') j++;
      if (j < n && text[j] === '}') {
        parts.push({ text: buf });
        buf = '';
        parts.push({ src: text.slice(i + 1, j), line, col: i + 2 + colOffset });
        i = j + 1;
        continue;
      }
      if (unclosedUntil < 0) {
        errors.push({ line, col: i + 1 + colOffset, message: "'{' in a string starts {expression} and needs a closing '}' (write \\{ for a literal brace)" });
      }
      unclosedUntil = j;
      buf += '{';
      i++;
      continue;
    }
    buf += c;
    i++;
  }
  if (!closed) errors.push({ line, col, message: 'unclosed string: add " before the end of the line' });
  parts.push({ text: buf });
  return { tok: { t: 'str', parts, line, col, end: i + 1 + colOffset }, next: i };
}

/** All tokens of a source text, with an `nl` token after each line and a final `eof`. */
export function lex(source: string, errors: LangError[]): Token[] {
  const lines = source.split('\n');
  const out: Token[] = [];
  for (let k = 0; k < lines.length; k++) {
    const text = lines[k];
    const line = k + 1;
    for (const tok of lexLine(text, line, 0, errors)) out.push(tok);
    out.push({ t: 'nl', line, col: text.length + 1, end: text.length + 1 });
  }
  const last = out[out.length - 1];
  out.push({ t: 'eof', line: last.line, col: last.col, end: last.col });
  return out;
}
