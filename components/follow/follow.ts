'use client';
// Follow mode, the browser side. A presenter shares its tab live: the server gives an
// unguessable token, the link is /follow/TOKEN, and from then on the tab sends its scenario
// and view (selection, panels, speed) as they change; its runs' frames go to the followers
// from the server. A follower opens the link: the page turns read-only (no editing, no run
// controls, no autosave over the follower's own work), shows the presenter's scenario and
// selection, and draws the presenter's runs from the frames, starting from a snapshot of the
// run so far.
import { create } from 'zustand';
import type { FollowPresenterState, FollowView } from '@/lib/protocol';
import { followCreate, followJoin, followStop, followUpdate, setFollowHandlers, useConnection } from '../run/connection';
import { scenarioFrom } from '../scenario/persistence';
import { forgetStored, readStored, writeStored } from '../scenario/storage';
import { useEditor } from '../store/editor';
import { setFollowerMode, useRun } from '../store/run';
import { useUi, type DockTab, type InspectorTab } from '../store/ui';

export type FollowRole = 'none' | 'presenter' | 'follower';

interface FollowState {
  role: FollowRole;
  /** The live session's token (presenter: the one it shares under; follower: the one it follows). */
  token: string | null;
  /** Presenter: the live session's short code (/f/CODE). */
  code: string | null;
  /** Presenter: the code and its QR shown large, for a projector. */
  projector: boolean;
  /** Presenter: how many follow now. */
  followers: number;
  /** Follower: where the presenter is. */
  presenter: FollowPresenterState;
  /** Follower: the presenter's view as last received (speed shown in the bar). */
  view: FollowView | null;
  /** Follower: joined at least once. */
  joined: boolean;
  /** Why sharing or following failed. */
  error: string | null;
  busy: boolean;
}

export const useFollow = create<FollowState>()(() => ({
  role: 'none',
  token: null,
  code: null,
  projector: false,
  followers: 0,
  presenter: 'here',
  view: null,
  joined: false,
  error: null,
  busy: false,
}));

export const followLink = (token: string) => `${window.location.origin}/follow/${token}`;
export const shortLink = (code: string) => `${window.location.origin}/f/${code}`;

const SHARING_KEY = 'ipcpg.sharing';

// ---------------------------------------------------------------- presenter

function currentView(): FollowView {
  const { selection } = useEditor.getState();
  const { dockTab, inspectorTab } = useUi.getState();
  const { sps, trace } = useRun.getState();
  return { selection, dockTab, inspectorTab, sps, trace };
}

let unsubs: (() => void)[] = [];
let scenarioTimer: ReturnType<typeof setTimeout> | null = null;
let viewTimer: ReturnType<typeof setTimeout> | null = null;

function sendScenarioNow(): void {
  if (scenarioTimer) clearTimeout(scenarioTimer);
  scenarioTimer = null;
  followUpdate({ scenario: useEditor.getState().scenario });
}

function watchPresenter(): void {
  for (const u of unsubs) u();
  unsubs = [
    useEditor.subscribe((s, prev) => {
      if (s.scenario !== prev.scenario) {
        if (scenarioTimer) clearTimeout(scenarioTimer);
        scenarioTimer = setTimeout(sendScenarioNow, 120);
      }
      // a run starts: the followers get the drawing it runs before its first frame
      if (s.locked && !prev.locked && scenarioTimer) sendScenarioNow();
      if (s.selection !== prev.selection) sendView();
    }),
    useUi.subscribe((s, prev) => {
      if (s.dockTab !== prev.dockTab || s.inspectorTab !== prev.inspectorTab) sendView();
    }),
    useRun.subscribe((s, prev) => {
      if (s.sps !== prev.sps || s.trace !== prev.trace) sendView();
    }),
  ];
}

function sendView(): void {
  if (viewTimer) return;
  viewTimer = setTimeout(() => {
    viewTimer = null;
    followUpdate({ view: currentView() });
  }, 60);
}

/** Set while this tab means to share itself: a reconnection (or a reload) shares it again. */
let wantSharing = false;

async function share(): Promise<boolean> {
  if (!wantSharing) return false;
  if (useConnection.getState().state !== 'connected') return false; // done on connection
  useFollow.setState({ busy: true, error: null });
  const r = await followCreate(useEditor.getState().scenario, currentView());
  if (!wantSharing) return false;
  if (!r.ok) {
    useFollow.setState({ busy: false, error: `Could not share live: ${r.message}.` });
    return false;
  }
  useFollow.setState({ role: 'presenter', token: r.token, code: r.code, followers: r.followers, busy: false, error: null });
  if (unsubs.length === 0) watchPresenter();
  return true;
}

function presenterHandlers(): void {
  setFollowHandlers({
    // the same session keeps the same token: the link handed out goes on working
    connected: () => void share(),
    count: (followers) => useFollow.setState({ followers }),
    // a new tab that took over a sharing session (class mode: the same identity) shares on
    sharing: (on) => {
      if (!on || wantSharing) return;
      wantSharing = true;
      writeStored('session', SHARING_KEY, '1');
      void share();
    },
  });
}

/** Starts sharing this tab live; the link is followLink(token). */
export async function startSharing(): Promise<boolean> {
  if (useFollow.getState().role === 'follower') return false;
  wantSharing = true;
  presenterHandlers();
  const ok = await share();
  if (ok) writeStored('session', SHARING_KEY, '1');
  return ok;
}

export async function stopSharing(): Promise<void> {
  wantSharing = false;
  for (const u of unsubs) u();
  unsubs = [];
  useFollow.setState({ role: 'none', token: null, code: null, projector: false, followers: 0, error: null });
  forgetStored('session', SHARING_KEY);
  await followStop();
}

/** A reload of a sharing tab goes on sharing (same session, same link) once connected; so does a tab the server says shares. */
export function resumeSharing(): void {
  wantSharing = readStored('session', SHARING_KEY) !== null;
  presenterHandlers();
}

// ---------------------------------------------------------------- follower

let first = true;

function applyScenario(json: unknown): void {
  const s = scenarioFrom(json);
  if (!s) return;
  const sel = useEditor.getState().selection;
  useEditor.getState().load(s);
  useEditor.getState().mirrorSelection(sel);
  if (first) {
    first = false;
    useUi.getState().fit();
  }
}

const DOCK_TABS: DockTab[] = ['trace', 'objects', 'summary', 'problems'];
const INSPECTOR_TABS: InspectorTab[] = ['program', 'c'];

function applyView(v: FollowView): void {
  useFollow.setState({ view: v });
  useEditor.getState().mirrorSelection(v.selection);
  const ui: Partial<{ dockTab: DockTab; inspectorTab: InspectorTab }> = {};
  if (v.dockTab && (DOCK_TABS as string[]).includes(v.dockTab)) ui.dockTab = v.dockTab as DockTab;
  if (v.inspectorTab && (INSPECTOR_TABS as string[]).includes(v.inspectorTab)) ui.inspectorTab = v.inspectorTab as InspectorTab;
  useUi.getState().set(ui);
}

async function join(token: string): Promise<void> {
  useFollow.setState({ busy: true });
  const r = await followJoin(token);
  if (!r.ok) {
    useFollow.setState({ busy: false, error: r.message, presenter: 'ended' });
    return;
  }
  if (r.scenario) applyScenario(r.scenario);
  applyView(r.view);
  useFollow.setState({ busy: false, joined: true, error: null, presenter: r.presenter });
}

/** Turns this page into a read-only view of the live session `token`. */
export function startFollowing(token: string): void {
  useFollow.setState({ role: 'follower', token });
  useEditor.getState().setReadOnly(true);
  setFollowerMode(true);
  setFollowHandlers({
    connected: () => void join(token),
    scenario: applyScenario,
    view: applyView,
    status: (presenter) => useFollow.setState({ presenter }),
  });
}
