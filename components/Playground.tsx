'use client';
// The whole page: header, canvas + side panel, dock. Starts the client side once: loads the
// scenario (example, saved, or starter), autosave, problem checking, the server connection,
// keyboard shortcuts.
import { useEffect, useState } from 'react';
import { Header } from './controls/Header';
import { preloadProgramEditor } from './editor/LazyProgramEditor';
import { GraphCanvas } from './graph/GraphCanvas';
import { ConnectionBanner, Notices, RunMessage } from './overlays/Banners';
import { DocsDrawer } from './overlays/DocsDrawer';
import { HelpOverlay } from './overlays/HelpOverlay';
import { Menus } from './overlays/Menus';
import { Dock } from './panels/Dock';
import { Inspector } from './panels/Inspector';
import { initialScenarios, startAutosave } from './scenario/persistence';
import { useEditor } from './store/editor';
import { watchProblems } from './store/problems';
import { startRunClient, useRun } from './store/run';
import { useUi, type Theme } from './store/ui';
import { onShortcutKey } from './ui/shortcuts';

export function Playground() {
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let stopAutosave = () => {};
    let stopProblems = () => {};
    let cancelled = false;
    useUi.setState({ theme: (document.documentElement.dataset.theme as Theme) === 'dark' ? 'dark' : 'light' });
    void initialScenarios().then(({ saved, example, notice }) => {
      if (cancelled) return;
      const editor = useEditor.getState();
      if (saved) editor.load(saved);
      if (example) editor.load(example, { undoable: !!saved });
      if (notice) useRun.setState({ message: { text: notice, tone: 'error' } });
      stopAutosave = startAutosave();
      stopProblems = watchProblems();
      startRunClient();
      preloadProgramEditor();
      useUi.getState().fit();
      setReady(true);
    });
    window.addEventListener('keydown', onShortcutKey);
    return () => {
      cancelled = true;
      stopAutosave();
      stopProblems();
      window.removeEventListener('keydown', onShortcutKey);
    };
  }, []);

  return (
    <div className="app" data-testid="app" data-ready={ready}>
      <Header />
      <main className="workspace">
        <div className="stage">
          {ready ? <GraphCanvas /> : <div className="canvas canvas-loading" />}
          <div className="stage-overlays">
            <ConnectionBanner />
            <RunMessage />
          </div>
          <Notices />
        </div>
        <Inspector />
      </main>
      <Dock />
      <Menus />
      <HelpOverlay />
      <DocsDrawer />
    </div>
  );
}
