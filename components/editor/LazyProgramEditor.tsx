'use client';
// CodeMirror is a third of the page's JavaScript and only needed once a process is selected:
// it loads on demand (and in the background once the page is idle), with the program shown
// as plain text meanwhile.
import dynamic from 'next/dynamic';
import { useEditor } from '../store/editor';

const load = () => import('./ProgramEditor').then((m) => m.ProgramEditor);

function Placeholder({ procId }: { procId: string }) {
  const program = useEditor.getState().scenario.processes.find((p) => p.id === procId)?.program ?? '';
  return (
    <div className="program-editor program-editor-loading">
      <pre>{program}</pre>
    </div>
  );
}

let current = '';
const Lazy = dynamic(load, { ssr: false, loading: () => <Placeholder procId={current} /> });

export function LazyProgramEditor({ procId }: { procId: string }) {
  current = procId;
  return <Lazy procId={procId} />;
}

/** Fetches the editor's code a little after the page is up, when the browser is idle. */
export function preloadProgramEditor(): void {
  const idle = (window as Window & { requestIdleCallback?: (cb: () => void) => number }).requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 0));
  setTimeout(() => idle(() => void load()), 1500);
}
