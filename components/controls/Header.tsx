'use client';
// The top bar: the scenario's title, the drawing tools, the run controls, and the view
// buttons (reference, help, theme, connection).
import { useEffect, useState } from 'react';
import { encodeShare } from '@/lib/share';
import { useFollow } from '../follow/follow';
import { useConnection } from '../run/connection';
import { SharePanel } from '../share/SharePanel';
import { useEditor } from '../store/editor';
import { useUi } from '../store/ui';
import { PlusIcon } from '../ui/icons';
import { PresentButton } from './PresentButton';
import { RunControls } from './RunControls';

function TitleField() {
  const title = useEditor((s) => s.scenario.title);
  const readOnly = useEditor((s) => s.readOnly);
  const [draft, setDraft] = useState(title);
  useEffect(() => setDraft(title), [title]);
  if (readOnly) {
    return (
      <span className="title-input title-static" data-testid="scenario-title" title={title}>
        {title}
      </span>
    );
  }
  return (
    <input
      className="title-input"
      aria-label="Scenario title"
      data-testid="scenario-title"
      value={draft}
      maxLength={200}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => draft !== title && useEditor.getState().setTitle(draft)}
      onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
    />
  );
}

function ConnectionBadge() {
  const state = useConnection((s) => s.state);
  return (
    <span className={`conn conn-${state}`} data-testid="connection" data-state={state} title={state === 'connected' ? 'Connected to the server' : 'Not connected to the server'}>
      <span className="status-dot" aria-hidden />
      {state === 'connected' ? 'live' : state === 'connecting' ? 'connecting' : 'offline'}
    </span>
  );
}

function GalleryIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
      <rect x="3" y="3" width="7" height="7" rx="1.5" />
      <rect x="14" y="3" width="7" height="7" rx="1.5" />
      <rect x="3" y="14" width="7" height="7" rx="1.5" />
      <rect x="14" y="14" width="7" height="7" rx="1.5" />
    </svg>
  );
}

function BookIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" aria-hidden>
      <path d="M4 5a2 2 0 0 1 2-2h14v16H6a2 2 0 0 0-2 2z" />
      <path d="M4 21V5M8 7h8" />
    </svg>
  );
}

function ShareIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden>
      <circle cx="18" cy="5" r="3" />
      <circle cx="6" cy="12" r="3" />
      <circle cx="18" cy="19" r="3" />
      <path d="m8.6 13.5 6.8 4M15.4 6.5l-6.8 4" />
    </svg>
  );
}

/** While this tab is shared live: how many follow, one click to the share panel. */
function LiveBadge() {
  const role = useFollow((s) => s.role);
  const followers = useFollow((s) => s.followers);
  if (role !== 'presenter') return null;
  return (
    <button className="live-badge" data-share-toggle onClick={() => useUi.getState().set({ share: !useUi.getState().share })} data-testid="follower-count" data-followers={followers} title="This tab is shared live (follow mode)">
      <span className="live-dot" aria-hidden />
      LIVE · {followers} following
    </button>
  );
}

function ThemeButton() {
  const theme = useUi((s) => s.theme);
  const ui = useUi.getState();
  return (
    <button className="btn ghost icon" onClick={() => ui.setTheme(theme === 'dark' ? 'light' : 'dark')} title="Light / dark (T)" aria-label="Switch theme" data-testid="theme-button">
      {theme === 'dark' ? (
        <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
          <circle cx="12" cy="12" r="4" />
          <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
        </svg>
      ) : (
        <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
          <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
        </svg>
      )}
    </button>
  );
}

function Brand() {
  return (
    <div className="brand" title="IPC Playground: real Linux processes, real kernel objects">
      <svg width="26" height="26" viewBox="0 0 64 64" aria-hidden>
        <rect width="64" height="64" rx="14" fill="var(--brand-bg)" />
        <path d="M22 32h20" stroke="#38bdf8" strokeWidth="4" strokeLinecap="round" strokeDasharray="2 6" />
        <rect x="6" y="20" width="18" height="24" rx="5" fill="#6366f1" />
        <rect x="40" y="20" width="18" height="24" rx="5" fill="#22c55e" />
        <circle cx="32" cy="32" r="4" fill="#fbbf24" />
      </svg>
      <span className="brand-name">
        IPC <b>Playground</b>
      </span>
    </div>
  );
}

/** The header of a follower: what is followed, and the way back to one's own playground. */
function FollowerHeader() {
  const presenter = useFollow((s) => s.presenter);
  return (
    <header className="topbar">
      <div className="topbar-row">
        <Brand />
        <span className={`following-badge presenter-${presenter}`} data-testid="following-badge">
          <span className="live-dot" aria-hidden />
          {presenter === 'ended' ? 'Live session ended' : presenter === 'away' ? 'Presenter away' : 'Following live'}
        </span>
        <TitleField />
        <div className="view-tools">
          <ConnectionBadge />
          <button
            className="btn ghost"
            data-testid="copy-to-mine"
            title="Open this scenario in your own playground (a new tab), where you can edit and run it"
            onClick={() => window.open(`/#${encodeShare(useEditor.getState().scenario)}`, '_blank', 'noopener')}
          >
            Open a copy to edit
          </button>
          <button className="btn ghost reference-button" onClick={() => useUi.getState().set({ docs: !useUi.getState().docs })} title="Language reference (R)" data-testid="reference-button">
            <BookIcon /> Reference
          </button>
          <ThemeButton />
          <a className="btn" href="/" data-testid="leave-follow" title="Back to your own scenario (it was kept as it was)">
            Leave
          </a>
        </div>
      </div>
      <RunControls />
    </header>
  );
}

export function Header({ replay, embed }: { replay?: boolean; embed?: string }) {
  const follower = useFollow((s) => s.role === 'follower');
  if (embed) return <EmbedHeader replay={replay} full={embed} />;
  return follower ? <FollowerHeader /> : <EditorHeader replay={replay} />;
}

/** Inside another site's page: the title, the run (or replay) controls, and a way to the full playground. */
function EmbedHeader({ replay, full }: { replay?: boolean; full: string }) {
  const title = useEditor((s) => s.scenario.title);
  return (
    <header className="topbar embed-bar">
      <div className="topbar-row">
        <Brand />
        <span className="title-input title-static" data-testid="scenario-title" title={title}>
          {title}
        </span>
        <div className="view-tools">
          <ConnectionBadge />
          <a className="btn ghost" href={full} target="_blank" rel="noopener" data-testid="embed-open-full">
            Open in IPC Playground ↗
          </a>
        </div>
      </div>
      <RunControls replay={replay} />
    </header>
  );
}

function EditorHeader({ replay }: { replay?: boolean }) {
  const canUndo = useEditor((s) => s.past.length > 0 && !s.locked);
  const canRedo = useEditor((s) => s.future.length > 0 && !s.locked);
  const locked = useEditor((s) => s.locked);
  const share = useUi((s) => s.share);
  const editor = useEditor.getState();
  const ui = useUi.getState();
  return (
    <header className="topbar">
      <div className="topbar-row">
        <Brand />
        <TitleField />
        <div className="tools" role="toolbar" aria-label="Drawing tools">
          <button className="btn ghost" data-testid="add-process" disabled={locked} onClick={() => (editor.addProcess(), ui.fit())} title="Add a process (N, or double-click the canvas)">
            <PlusIcon /> Process
          </button>
          <button
            className="btn ghost"
            data-testid="add-object"
            disabled={locked}
            title="Add a kernel object that several processes share: a semaphore, a segment, a queue, a FIFO, a file"
            onClick={(e) => {
              const r = e.currentTarget.getBoundingClientRect();
              ui.set({ menu: { kind: 'add-object', x: r.left, y: r.bottom + 4 } });
            }}
          >
            <PlusIcon /> Object
          </button>
          <button className="btn ghost icon" onClick={() => (editor.layout(), ui.fit())} title="Auto-layout (L)" aria-label="Auto-layout" data-testid="layout">
            <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
              <rect x="3" y="4" width="6" height="6" rx="1" />
              <rect x="15" y="4" width="6" height="6" rx="1" />
              <rect x="9" y="15" width="6" height="6" rx="1" />
              <path d="M9 7h6M6 10l5 5M18 10l-5 5" />
            </svg>
          </button>
          <button className="btn ghost icon" onClick={() => ui.fit()} title="Fit to screen (F)" aria-label="Fit to screen">
            <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
              <path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5" />
            </svg>
          </button>
          <button className="btn ghost icon" disabled={!canUndo} onClick={() => editor.undo()} title="Undo (Ctrl+Z)" aria-label="Undo" data-testid="undo">
            <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
              <path d="M9 14 4 9l5-5" />
              <path d="M4 9h11a5 5 0 0 1 0 10h-3" />
            </svg>
          </button>
          <button className="btn ghost icon" disabled={!canRedo} onClick={() => editor.redo()} title="Redo (Ctrl+Shift+Z)" aria-label="Redo" data-testid="redo">
            <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
              <path d="m15 14 5-5-5-5" />
              <path d="M20 9H9a5 5 0 0 0 0 10h3" />
            </svg>
          </button>
        </div>
        <div className="view-tools">
          <PresentButton />
          <button className="btn ghost gallery-button" onClick={() => ui.set({ gallery: true })} title="Gallery of scenarios (G)" data-testid="gallery-button">
            <GalleryIcon /> Gallery
          </button>
          <div className="share-anchor">
            <button className={`btn ${share ? 'active' : 'ghost'}`} data-share-toggle aria-expanded={share} onClick={() => ui.set({ share: !useUi.getState().share })} title="Share: link, file, live" data-testid="share-button">
              <ShareIcon /> Share
            </button>
            <SharePanel />
          </div>
          <LiveBadge />
          <ConnectionBadge />
          <button className="btn ghost reference-button" onClick={() => ui.set({ docs: !useUi.getState().docs })} title="Language reference (R)" data-testid="reference-button">
            <BookIcon /> Reference
          </button>
          <button className="btn ghost icon" onClick={() => ui.set({ help: true })} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" data-testid="help-button">
            ?
          </button>
          <ThemeButton />
        </div>
      </div>
      <RunControls replay={replay} />
    </header>
  );
}
