'use client';
// Opening a scenario from elsewhere (the gallery, a share link, a file) on top of the current
// one, as one undoable step with a toast that says so: nothing the user made is ever lost
// silently. Anything that cannot be opened leaves the current scenario as it is and says why,
// naming the places at fault.
import { decodeShare, encodeShare, SHARE_SOFT_LIMIT } from '@/lib/share';
import { SCENARIO_VERSION, checkScenarioShape, formatPlaceError, type Scenario } from '@/lib/scenario';
import { useEditor } from '../store/editor';
import { useNotify } from '../store/notify';
import { useRun } from '../store/run';
import { useUi } from '../store/ui';

const quote = (s: string) => `“${s}”`;

/** Same drawing and programs (positions aside: an example may be laid out on load). */
function sameScenario(a: Scenario, b: Scenario): boolean {
  const strip = (s: Scenario) => JSON.stringify({ ...s, processes: s.processes.map(({ position: _p, ...p }) => p) });
  return strip(a) === strip(b);
}

/** Why nothing can be opened right now, or null. */
function blocked(): string | null {
  if (useEditor.getState().readOnly) return 'You are following a live session: leave it to open your own scenarios.';
  const st = useRun.getState().status;
  if (st === 'running' || st === 'starting') return 'A run is going on: stop it first, then open the scenario again.';
  return null;
}

/** Loads `s` on top of the current scenario (one Ctrl-Z away) and says so. */
export function openScenario(s: Scenario, what: string): boolean {
  const why = blocked();
  if (why) {
    useNotify.getState().showBanner({ title: `Could not open ${what}`, text: why, reason: 'busy' });
    return false;
  }
  const editor = useEditor.getState();
  const unchanged = sameScenario(editor.scenario, s);
  editor.load(s, { undoable: true });
  useUi.getState().set({ gallery: false });
  useUi.getState().fit();
  useNotify.getState().dismissBanner();
  useNotify.getState().toast({
    kind: 'opened',
    tone: 'ok',
    text: unchanged ? `Opened ${what}.` : `Opened ${what} — Ctrl-Z brings back your scenario.`,
    action: unchanged ? undefined : { label: 'Undo', run: () => useEditor.getState().undo() },
  });
  return true;
}

export async function fetchExample(slug: string): Promise<{ scenario: Scenario } | { error: string }> {
  try {
    const res = await fetch(`/api/examples/${encodeURIComponent(slug)}`);
    if (res.status === 404) return { error: `There is no example named ${quote(slug)}.` };
    if (!res.ok) return { error: `The example ${quote(slug)} could not be loaded (HTTP ${res.status}).` };
    const { scenario, errors } = checkScenarioShape(await res.json());
    if (!scenario) return { error: `The example ${quote(slug)} could not be read: ${errors.map(formatPlaceError).join('; ')}` };
    return { scenario };
  } catch {
    return { error: `The example ${quote(slug)} could not be loaded: is the server running?` };
  }
}

export async function openExample(slug: string): Promise<boolean> {
  const r = await fetchExample(slug);
  if ('error' in r) {
    useNotify.getState().showBanner({ title: 'Example not opened', text: `${r.error} Your scenario is unchanged.`, reason: 'example' });
    return false;
  }
  return openScenario(r.scenario, `the example ${quote(r.scenario.title || slug)}`);
}

/** An example as the whole page (an embed): loaded, not opened on top of anything. */
export async function loadExample(slug: string): Promise<boolean> {
  const r = await fetchExample(slug);
  if ('error' in r) {
    useNotify.getState().showBanner({ title: 'Example not found', text: r.error, reason: 'example' });
    return false;
  }
  useEditor.getState().load(r.scenario);
  return true;
}

/** A share link's scenario as the whole page (an embed). */
export function loadShareFragment(fragment: string): boolean {
  const d = decodeShare(fragment);
  if (!d.ok) {
    useNotify.getState().showBanner({ title: 'This share link could not be opened', text: d.message, reason: d.reason });
    return false;
  }
  useEditor.getState().load(d.scenario);
  return true;
}

/** Opens the scenario of a share link's fragment; a broken one is explained and changes nothing. */
export function openShareFragment(fragment: string): boolean {
  const d = decodeShare(fragment);
  if (!d.ok) {
    useNotify.getState().showBanner({
      title: d.reason === 'newer' ? 'This link needs a newer playground' : 'This share link could not be opened',
      text: `${d.message} Your scenario is unchanged.`,
      reason: d.reason,
    });
    return false;
  }
  return openScenario(d.scenario, `the shared scenario ${quote(d.scenario.title || 'Untitled')}`);
}

/** The share link of the current scenario, and whether it is too long to paste around. */
export function shareLink(s: Scenario): { url: string; chars: number; tooLong: boolean } {
  const url = `${window.location.origin}/#${encodeShare(s)}`;
  return { url, chars: url.length, tooLong: url.length > SHARE_SOFT_LIMIT };
}

/** A file name from the title: `pipe-parent-to-child`. */
export function slugOf(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'scenario'
  );
}

export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadScenario(s: Scenario): void {
  downloadText(JSON.stringify(s, null, 2) + '\n', `${slugOf(s.title)}.json`, 'application/json');
}

/** Files larger than this are not scenarios (16 programs of 64 KiB each is about 1 MiB). */
const MAX_FILE = 2 << 20;

/**
 * A scenario file's text checked as a share link's is: JSON, version, shape, references,
 * options. Program errors are fine (they show where they are once opened).
 */
export function readScenarioFile(name: string, text: string): { scenario: Scenario } | { error: string; details: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: `${name} is not JSON: ${(e as Error).message}.`, details: [] };
  }
  const { scenario, errors } = checkScenarioShape(json);
  if (errors.length && errors[0].place === 'version' && !scenario) {
    return { error: `${name} was saved by a newer version of IPC Playground (${errors[0].message}).`, details: [] };
  }
  if (!scenario || errors.length) {
    return { error: `${name} is not a scenario this playground can open (version ${SCENARIO_VERSION}):`, details: errors.slice(0, 12).map(formatPlaceError).concat(errors.length > 12 ? [`… and ${errors.length - 12} more`] : []) };
  }
  return { scenario };
}

export async function openFile(file: File): Promise<boolean> {
  const fail = (text: string, details: string[] = []) => {
    useNotify.getState().showBanner({ title: `${file.name} was not opened`, text: `${text}${details.length ? '' : ' Your scenario is unchanged.'}`, details, reason: 'file' });
    return false;
  };
  if (file.size > MAX_FILE) return fail(`${file.name} is ${Math.round(file.size / 1024)} KiB: too large to be a scenario.`);
  let text: string;
  try {
    text = await file.text();
  } catch {
    return fail(`${file.name} could not be read.`);
  }
  const r = readScenarioFile(file.name, text);
  if ('error' in r) return fail(r.error, r.details);
  return openScenario(r.scenario, `${quote(r.scenario.title || file.name)} from ${file.name}`);
}

/** Copies text; true when it worked (the Clipboard API, else the old way). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }
}
