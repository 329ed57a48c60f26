'use client';
// A process's terminal: xterm.js fed from the terminal bus. Created in an effect (xterm needs
// the DOM) and loaded with next/dynamic, never rendered on the server. screenReaderMode keeps
// the text in the DOM too (`.xterm-accessibility-tree`), for screen readers and for tests.

import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { terminalBus, type Chunk } from '../run/terminalBus';
import { useLayout } from '../store/layout';
import type { Theme } from '../store/ui';

const THEMES: Record<Theme, ITheme> = {
  light: { background: '#fbfcfe', foreground: '#1e293b', cursor: '#fbfcfe', red: '#dc2626', brightBlack: '#94a3b8', selectionBackground: '#c7d2fe' },
  dark: { background: '#0b1220', foreground: '#e2e8f0', cursor: '#0b1220', red: '#f87171', brightBlack: '#64748b', selectionBackground: '#334155' },
};

const RED = '\x1b[31m';
const NOTE = '\x1b[33;3m';
const RESET = '\x1b[0m';
const FONT = 14;
const FONT_PRESENT = 19;

export default function XTerm({ procId, theme }: { procId: string; theme: Theme }) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const fitRef = useRef<(() => void) | null>(null);

  useEffect(() => {
    const t = new Terminal({
      convertEol: true,
      screenReaderMode: true,
      disableStdin: true,
      cursorBlink: false,
      cursorInactiveStyle: 'none',
      fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, ui-monospace, monospace',
      fontSize: useLayout.getState().present ? FONT_PRESENT : FONT,
      lineHeight: 1.15,
      scrollback: 5000,
      theme: THEMES[theme],
    });
    const fit = new FitAddon();
    t.loadAddon(fit);
    t.open(host.current!);
    t.write('\x1b[?25l'); // no cursor: nothing is typed here
    const write = (c: Chunk) => t.write(c.note ? NOTE + c.text + RESET : c.err ? RED + c.text + RESET : c.text);
    const { chunks, dropped } = terminalBus.history(procId);
    if (dropped) t.write('\x1b[90m[earlier output dropped]\x1b[0m\n');
    chunks.forEach(write);
    const unsub = terminalBus.subscribe(procId, (c) => {
      // the reset goes in the write queue (ESC c), after any text still queued: a timeline
      // stepping fast resets and refills many times a second, and must not keep old text
      if (c === 'reset') t.write('\x1bc\x1b[?25l');
      else write(c);
    });
    const refit = () => {
      try {
        fit.fit();
      } catch {
        // hidden (zero size): fitted again when shown
      }
    };
    const ro = new ResizeObserver(refit);
    ro.observe(host.current!);
    refit();
    term.current = t;
    fitRef.current = refit;
    return () => {
      unsub();
      ro.disconnect();
      t.dispose();
      term.current = null;
    };
    // (the theme is applied below, without re-creating the terminal and losing its text)
  }, [procId]);

  useEffect(() => {
    if (term.current) term.current.options.theme = THEMES[theme];
  }, [theme]);

  // presentation mode: type that reads from the back of the room (the size changes in place)
  const present = useLayout((s) => s.present);
  useEffect(() => {
    const t = term.current;
    if (!t) return;
    t.options.fontSize = present ? FONT_PRESENT : FONT;
    fitRef.current?.();
  }, [present]);

  return <div ref={host} className="xterm-host" data-testid={`terminal-${procId}`} />;
}
