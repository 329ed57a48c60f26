'use client';
// The whole page: header, canvas + side panel, dock. Starts the client side once: loads the
// saved scenario, then what the address asks for on top of it (an example, a share link),
// autosave, problem checking, the server connection, keyboard shortcuts. Opened as
// /follow/TOKEN, the page is instead a read-only view of someone's live session.
import { useEffect, useState } from 'react';
import { Header } from './controls/Header';
import { preloadProgramEditor } from './editor/LazyProgramEditor';
import { resumeSharing, startFollowing } from './follow/follow';
import { Gallery } from './gallery/Gallery';
import { GraphCanvas } from './graph/GraphCanvas';
import { ConnectionBanner, Notices, RunMessage } from './overlays/Banners';
import { DeadlockBanner } from './overlays/DeadlockBanner';
import { DocsDrawer } from './overlays/DocsDrawer';
import { FollowBanner } from './overlays/FollowBanner';
import { HelpOverlay } from './overlays/HelpOverlay';
import { Menus } from './overlays/Menus';
import { RunawayBanner } from './overlays/RunawayBanner';
import { NotifyBanner, Toasts } from './overlays/Toasts';
import { Dock } from './panels/Dock';
import { Inspector } from './panels/Inspector';
import { Splitter } from './panels/Splitter';
import { EMPTY } from './scenario/defaults';
import { openExample, openFile, openShareFragment } from './scenario/open';
import { loadSaved, startAutosave, takeAddress } from './scenario/persistence';
import { useEditor } from './store/editor';
import { SIDE_MIN, startLayout, useLayout } from './store/layout';
import { watchProblems } from './store/problems';
import { startRunClient } from './store/run';
import { useUi, type Theme } from './store/ui';
import { onShortcutKey } from './ui/shortcuts';

export interface PlaygroundProps {
  /** /examples/SLUG: open this example on top of the saved scenario. */
  example?: string;
  /** /gallery: start with the gallery open. */
  gallery?: boolean;
  /** /follow/TOKEN: follow that live session, read-only. */
  follow?: string;
}

const sideMax = () => window.innerWidth * 0.7;
const sideAt = (x: number) => window.innerWidth - x;
const sideNow = () => document.querySelector<HTMLElement>('.inspector')?.offsetWidth ?? 400;
const sideResize = (px: number | null) => useLayout.getState().resize({ sideW: px });

/** Between the graph and the side panel: the panel's width follows the pointer. */
function SideSplitter() {
  const sideW = useLayout((s) => s.sideW);
  return <Splitter orientation="vertical" label="Side panel width" value={sideW} min={SIDE_MIN} max={sideMax} size={sideAt} current={sideNow} grow="ArrowLeft" onResize={sideResize} testId="side-splitter" />;
}

export function Playground({ example, gallery, follow }: PlaygroundProps) {
  const [ready, setReady] = useState(false);
  const layout = useLayout();
  const [dropping, setDropping] = useState(false);

  useEffect(() => {
    let stopAutosave = () => {};
    let stopProblems = () => {};
    let cancelled = false;
    useUi.setState({ theme: (document.documentElement.dataset.theme as Theme) === 'dark' ? 'dark' : 'light' });
    const editor = useEditor.getState();

    const onHash = () => {
      const fragment = window.location.hash.slice(1);
      if (!fragment) return;
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
      openShareFragment(fragment);
    };

    if (follow) {
      // someone else's session: their scenario replaces nothing of ours (no autosave here)
      editor.load({ ...EMPTY, title: 'Joining the live session…' });
      startFollowing(follow);
      stopProblems = watchProblems();
      startRunClient();
      preloadProgramEditor();
      setReady(true);
    } else {
      const saved = loadSaved();
      if (saved) editor.load(saved);
      const address = takeAddress(example);
      stopAutosave = startAutosave();
      stopProblems = watchProblems();
      resumeSharing();
      startRunClient();
      preloadProgramEditor();
      if (gallery) useUi.getState().set({ gallery: true });
      void (async () => {
        if (address.example) await openExample(address.example);
        if (address.fragment) openShareFragment(address.fragment);
        if (cancelled) return;
        useUi.getState().fit();
        setReady(true);
      })();
      window.addEventListener('hashchange', onHash);
    }
    window.addEventListener('keydown', onShortcutKey);
    const stopLayout = startLayout();
    return () => {
      cancelled = true;
      stopLayout();
      stopAutosave();
      stopProblems();
      window.removeEventListener('keydown', onShortcutKey);
      window.removeEventListener('hashchange', onHash);
    };
  }, [example, gallery, follow]);

  // a scenario file dropped anywhere on the page opens (undoably), as Open file does
  const dropProps = follow
    ? {}
    : {
        onDragOver: (e: React.DragEvent) => {
          if (!e.dataTransfer.types.includes('Files')) return;
          e.preventDefault();
          setDropping(true);
        },
        onDragLeave: (e: React.DragEvent) => {
          if (e.currentTarget === e.target) setDropping(false);
        },
        onDrop: (e: React.DragEvent) => {
          const file = e.dataTransfer.files[0];
          setDropping(false);
          if (!file) return;
          e.preventDefault();
          void openFile(file);
        },
      };

  return (
    <div
      className={`app ${follow ? 'following' : ''}`}
      data-testid="app"
      data-ready={ready}
      data-mode={follow ? 'follower' : 'editor'}
      data-graph={layout.hidden.graph ? 'hidden' : 'shown'}
      data-side={layout.narrow || layout.present ? (layout.drawer ? 'drawer' : 'closed') : layout.hidden.side ? 'hidden' : 'shown'}
      data-dock={layout.hidden.dock ? 'hidden' : 'shown'}
      data-compact={layout.compact || undefined}
      data-present={layout.present || undefined}
      style={{ ['--inspector-w' as string]: layout.sideW ? `${layout.sideW}px` : undefined, ['--dock-h' as string]: layout.dockH ? `${layout.dockH}px` : undefined }}
      {...dropProps}
    >
      <Header />
      <main className="workspace">
        <div className="stage">
          {!layout.narrow && !layout.present && !layout.hidden.side && !layout.hidden.graph ? <SideSplitter /> : null}
          {ready ? <GraphCanvas /> : <div className="canvas canvas-loading" />}
          <div className="stage-overlays">
            <ConnectionBanner />
            <FollowBanner />
            <NotifyBanner />
            <DeadlockBanner />
            <RunawayBanner />
            <RunMessage />
          </div>
          <Notices />
          <Toasts />
          {dropping ? <div className="drop-hint">Drop a scenario file (.json) to open it</div> : null}
        </div>
        <Inspector />
      </main>
      <Dock />
      <Menus />
      <HelpOverlay />
      <DocsDrawer />
      <Gallery />
    </div>
  );
}
