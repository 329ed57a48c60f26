// A tiny C highlighter for the C view: comments, strings, preprocessor lines, keywords,
// types, numbers and calls. Enough to read the code at a glance; no grammar, no dependency.

export type Tok = [cls: string, text: string];

const KEYWORDS = new Set([
  'if', 'else', 'while', 'for', 'do', 'return', 'break', 'continue', 'switch', 'case', 'default', 'goto', 'sizeof', 'static', 'const',
  'volatile', 'extern', 'struct', 'union', 'enum', 'typedef', 'inline', 'register', 'restrict',
]);
const TYPES = new Set([
  'void', 'int', 'char', 'short', 'long', 'unsigned', 'signed', 'float', 'double', 'bool', '_Bool', 'size_t', 'ssize_t', 'pid_t', 'off_t',
  'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t', 'int8_t', 'int16_t', 'int32_t', 'int64_t', 'sem_t', 'mqd_t', 'key_t', 'socklen_t',
  'sig_atomic_t', 'sigset_t', 'FILE', 'mode_t', 'time_t', 'uintptr_t',
]);
const CONSTANTS = /^(NULL|true|false|[A-Z][A-Z0-9_]{2,})$/;

const TOKEN = /(\/\*[\s\S]*?\*\/|\/\/[^\n]*)|("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|(^[ \t]*#[^\n]*)|(\b0x[0-9a-fA-F]+[uUlL]*\b|\b\d+(?:\.\d+)?[uUlLfF]*\b)|([A-Za-z_]\w*)/gm;

/** The text as lines of tokens; every character is in exactly one token. */
export function highlightC(text: string): Tok[][] {
  const lines: Tok[][] = [[]];
  const push = (cls: string, s: string) => {
    const parts = s.split('\n');
    parts.forEach((p, i) => {
      if (i) lines.push([]);
      if (p) lines[lines.length - 1].push([cls, p]);
    });
  };
  let at = 0;
  for (const m of text.matchAll(TOKEN)) {
    const i = m.index ?? 0;
    if (i > at) push('', text.slice(at, i));
    const [all, comment, str, pre, num, id] = m;
    if (comment) push('c-com', comment);
    else if (str) push('c-str', str);
    else if (pre) push('c-pre', pre);
    else if (num) push('c-num', num);
    else if (id) {
      const after = text.slice(i + id.length).match(/^\s*\(/);
      push(KEYWORDS.has(id) ? 'c-kw' : TYPES.has(id) ? 'c-type' : after ? 'c-call' : CONSTANTS.test(id) ? 'c-const' : '', id);
    }
    at = i + all.length;
  }
  if (at < text.length) push('', text.slice(at));
  return lines;
}
