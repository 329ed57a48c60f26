// What a run's output may do to a terminal: colours (SGR) and cursor moves, nothing else.
// A program's stdout reaches every follower's xterm, so an escape sequence that makes a link
// (OSC 8), sets the window title (OSC 0/2), writes the clipboard (OSC 52), reports back or
// switches modes would act on every screen in the class. Everything else is kept, but as
// visible text in `cat -v` notation: ESC is shown as `^[`, other controls as `^X`, C1
// controls (which xterm also obeys) as `M-^X`.

/* eslint-disable no-control-regex -- finding control characters is this module's whole job */

/** CSI sequences kept: SGR (colours, bold...) and cursor moves (up, down, right, left, next/previous line, column, position). */
const ALLOWED_CSI = /^\x1b\[[0-9;]*[mABCDEFGHf]/;
/** Controls a terminal shows as layout, not as commands: backspace, tab, newline, carriage return. */
const LAYOUT = new Set(['\b', '\t', '\n', '\r']);
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (code === 0x7f) return '^?';
  if (code >= 0x80) return `M-${visible(String.fromCharCode(code - 0x80))}`;
  return `^${String.fromCharCode(code + 0x40)}`;
}

/** `text` with every control that is not layout, SGR or a cursor move turned into visible text. */
export function sanitizeTerminal(text: string): string {
  if (!CONTROL.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\x1b') {
      const kept = ALLOWED_CSI.exec(text.slice(i, i + 64));
      if (kept) {
        out += kept[0];
        i += kept[0].length - 1;
        continue;
      }
    }
    out += CONTROL.test(c) && !LAYOUT.has(c) ? visible(c) : c;
  }
  return out;
}
