// Syntax highlighting for the program language: a small stream tokenizer (one statement a
// line makes that enough). Channel and process names of the scenario get their own colours,
// so a typo in a name shows before the checker even says so.
import { HighlightStyle, StreamLanguage, syntaxHighlighting, type StringStream } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';
import { SIGNALS } from '@/lib/mechanisms';
import { ERRNO_VARIABLE, isErrnoName } from '@/lib/lang/errors';
import { STATEMENT_KEYWORDS } from '@/lib/lang/parser';

const CONTROL = new Set(['repeat', 'forever', 'while', 'if', 'else', 'break', 'exit', 'on', 'fork']);
/** Every other word that starts a statement: the parser's list, so a new statement is coloured too. */
const KEYWORDS = new Set<string>(STATEMENT_KEYWORDS);
const MODIFIERS = new Set(['as', 'at', 'type', 'priority', 'nowait', 'noerror', 'interrupts', 'timeout']);
const WORD_OPS = new Set(['and', 'or', 'not']);
const SIGNAL_NAMES = new Set<string>([...SIGNALS, ...SIGNALS.map((s) => s.slice(3))]);

export interface Names {
  channels: ReadonlySet<string>;
  processes: ReadonlySet<string>;
}

interface State {
  inString: boolean;
  /** Depth of `{...}` inside a string: interpolated expressions are code again. */
  interp: boolean;
}

export function programLanguage(names: () => Names) {
  return StreamLanguage.define<State>({
    name: 'ipcpg',
    startState: () => ({ inString: false, interp: false }),
    token(stream: StringStream, st: State): string | null {
      if (st.inString && !st.interp) {
        if (stream.match(/^\\./)) return 'string.special';
        if (stream.eat('"')) {
          st.inString = false;
          return 'string';
        }
        if (stream.eat('{')) {
          st.interp = true;
          return 'brace.special';
        }
        stream.match(/^[^"\\{]+/);
        if (stream.eol()) st.inString = false; // an unclosed string ends at the end of the line
        return 'string';
      }
      if (st.interp && stream.eat('}')) {
        st.interp = false;
        return 'brace.special';
      }
      if (stream.eatSpace()) return null;
      if (!st.interp && stream.peek() === '#') {
        stream.skipToEnd();
        return 'lineComment';
      }
      if (stream.eat('"')) {
        st.inString = true;
        st.interp = false;
        return 'string';
      }
      if (stream.match(/^(0x[0-9a-fA-F]+|\d+)/)) return 'number';
      const word = stream.match(/^[A-Za-z_][A-Za-z0-9_-]*/) as RegExpMatchArray | null;
      if (word) {
        let w = word[0];
        // `-` belongs to names (`log-pipe`) but not to a subtraction: `n-1` is n minus 1
        if (w.includes('-') && !names().channels.has(w) && !names().processes.has(w)) {
          stream.backUp(w.length - w.indexOf('-'));
          w = w.slice(0, w.indexOf('-'));
        }
        if (CONTROL.has(w)) return 'controlKeyword';
        if (KEYWORDS.has(w)) return 'keyword';
        if (MODIFIERS.has(w)) return 'modifier';
        if (WORD_OPS.has(w)) return 'operatorKeyword';
        if (SIGNAL_NAMES.has(w)) return 'atom';
        if (w === 'pid' || w === ERRNO_VARIABLE) return 'variableName.standard';
        if (isErrnoName(w)) return 'atom';
        if (names().channels.has(w)) return 'propertyName';
        if (names().processes.has(w)) return 'typeName';
        return 'variableName';
      }
      if (stream.match(/^(==|!=|<=|>=|[-+*/%<>=])/)) return 'operator';
      if (stream.match(/^[{}()]/)) return 'brace';
      stream.next();
      return 'invalid';
    },
    languageData: { commentTokens: { line: '#' } },
  });
}

export const programHighlight = syntaxHighlighting(
  HighlightStyle.define([
    { tag: t.controlKeyword, color: 'var(--hl-control)', fontWeight: '600' },
    { tag: t.keyword, color: 'var(--hl-keyword)', fontWeight: '600' },
    { tag: t.modifier, color: 'var(--hl-modifier)' },
    { tag: t.operatorKeyword, color: 'var(--hl-modifier)' },
    { tag: t.atom, color: 'var(--hl-signal)', fontWeight: '600' },
    { tag: t.number, color: 'var(--hl-number)' },
    { tag: t.string, color: 'var(--hl-string)' },
    { tag: t.special(t.string), color: 'var(--hl-escape)' },
    { tag: t.special(t.brace), color: 'var(--hl-escape)', fontWeight: '700' },
    { tag: t.lineComment, color: 'var(--hl-comment)', fontStyle: 'italic' },
    { tag: t.propertyName, color: 'var(--hl-channel)', fontWeight: '600' },
    { tag: t.typeName, color: 'var(--hl-process)', fontWeight: '600' },
    { tag: t.standard(t.variableName), color: 'var(--hl-builtin)' },
    { tag: t.variableName, color: 'var(--hl-var)' },
    { tag: t.operator, color: 'var(--hl-op)' },
    { tag: t.invalid, color: 'var(--danger)' },
  ]),
);
