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
import { loadExample, loadShareFragment, openExample, openFile, openShareFragment } from './scenario/open';
import { openRecordingFile, openRecordingLink } from './timeline/openRecording';
import { ReplayWelcome } from './timeline/ReplayWelcome';
import { loadSaved, startAutosave, takeAddress } from './scenario/persistence';
import { useEditor } from './store/editor';
import { SIDE_MIN, startLayout, useLayout } from './store/layout';
import { watchProblems } from './store/problems';
import { setFollowerMode, startRunClient } from './store/run';
import { useUi, type Theme } from './store/ui';
import { onShortcutKey } from './ui/shortcuts';
import { ScrubBanner } from './timeline/ScrubBanner';

export interface PlaygroundProps {
  /** /examples/SLUG: open this example on top of the saved scenario. */
  example?: string;
  /** /gallery: start with the gallery open. */
  gallery?: boolean;
  /** /follow/TOKEN: follow that live session, read-only. */
  follow?: string;
  /** /replay: open a recording (a file, or the fragment's link) and move through it; nothing runs. */
  replay?: boolean;
  /** /embed/...: inside another site's page, no editing chrome, nothing of the visitor's saved work read or written. */
  embed?: boolean;
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

/** Where an embed's "Open in IPC Playground" leads: the same thing, full page. */
function fullPageOf(example: string | undefined, replay: boolean | undefined): string {
  const hash = typeof window === 'undefined' ? '' : window.location.hash;
  return example ? `/examples/${example}` : replay ? `/replay${hash}` : `/${hash}`;
}

export function Playground({ example, gallery, follow, replay, embed }: PlaygroundProps) {
  const [ready, setReady] = useState(false);
  const layout = useLayout();
  const [dropping, setDropping] = useState(false);
  const [fullPage, setFullPage] = useState('/');

  useEffect(() => {
    let stopAutosave = () => {};
    let stopProblems = () => {};
    let cancelled = false;
    useUi.setState({ theme: (document.documentElement.dataset.theme as Theme) === 'dark' ? 'dark' : 'light' });
    const editor = useEditor.getState();

    let onHash = () => {
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
    } else if (replay || embed) {
      // a recording, or an embedded example or link: shown on its own, the saved scenario untouched
      setFullPage(fullPageOf(example, replay));
      const fragment = window.location.hash.slice(1);
      editor.load({ ...EMPTY, title: replay ? 'Replay' : 'Loading…' });
      stopProblems = watchProblems();
      startRunClient();
      // a replay starts nothing, whatever key is pressed
      if (replay) setFollowerMode(true);
      preloadProgramEditor();
      void (async () => {
        if (example) await loadExample(example);
        else if (fragment && replay) openRecordingLink(fragment);
        else if (fragment) loadShareFragment(fragment);
        if (cancelled) return;
        useUi.getState().fit();
        setReady(true);
      })();
      // another link opened in the same page (only its fragment differs)
      onHash = () => {
        const next = window.location.hash.slice(1);
        if (next) void (replay ? openRecordingLink(next) : loadShareFragment(next));
      };
      window.addEventListener('hashchange', onHash);
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
    if (embed) useLayout.getState().setPresent(true);
    return () => {
      cancelled = true;
      stopLayout();
      stopAutosave();
      stopProblems();
      window.removeEventListener('keydown', onShortcutKey);
      window.removeEventListener('hashchange', onHash);
    };
  }, [example, gallery, follow, replay, embed]);

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
          void (replay ? openRecordingFile(file) : openFile(file));
        },
      };

  return (
    <div
      className={`app ${follow ? 'following' : ''} ${embed ? 'embedded' : ''}`}
      data-testid="app"
      data-ready={ready}
      data-mode={follow ? 'follower' : replay ? 'replay' : embed ? 'embed' : 'editor'}
      data-graph={layout.hidden.graph ? 'hidden' : 'shown'}
      data-side={layout.narrow || layout.present ? (layout.drawer ? 'drawer' : 'closed') : layout.hidden.side ? 'hidden' : 'shown'}
      data-dock={layout.hidden.dock ? 'hidden' : 'shown'}
      data-compact={layout.compact || undefined}
      data-present={layout.present || undefined}
      style={{ ['--inspector-w' as string]: layout.sideW ? `${layout.sideW}px` : undefined, ['--dock-h' as string]: layout.dockH ? `${layout.dockH}px` : undefined }}
      {...dropProps}
    >
      <Header replay={replay} embed={embed ? fullPage : undefined} />
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
            <ScrubBanner />
          </div>
          <Notices />
          <Toasts />
          {replay && ready ? <ReplayWelcome /> : null}
          {dropping ? <div className="drop-hint">{replay ? 'Drop a recording (.json) to replay it' : 'Drop a scenario file (.json) to open it'}</div> : null}
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
