'use client';
// Opening a recording to replay it (a file, a dropped file, a link's fragment): its scenario
// is drawn locked, the run store shows its end, the Timeline tab is where to look. No
// process starts: the page only re-applies what was recorded.
import type { Recording } from '@/lib/recording/format';
import { checkRecording, recordingJson } from '@/lib/recording/format';
import { SLICE_MS, inSlices } from '@/lib/timeline/steps';
import { decodeRecordingLink } from '@/lib/recording/link';
import { checkScenarioShape, SCENARIO_VERSION, type Scenario } from '@/lib/scenario';
import { useEditor } from '../store/editor';
import { useNotify } from '../store/notify';
import { useTimeline } from '../store/timeline';
import { useUi } from '../store/ui';
import { showTimelineTab } from './showTimeline';

/** Recordings larger than this are refused unread (a 60 s flood records well under it). */
const MAX_FILE = 64 << 20;

/** When the recorded scenario does not open here (damaged, or of a version this page cannot read): its processes and channels as the run saw them. */
function scenarioOfRun(rec: Recording): Scenario {
  const run = rec.events.find((e) => e.type === 'run');
  const title = (rec.scenario as { title?: unknown } | null)?.title;
  return {
    version: SCENARIO_VERSION,
    title: typeof title === 'string' ? title : 'Recorded run',
    description: '',
    processes: run?.type === 'run' ? run.processes.map((p, i) => ({ id: p.id, name: p.name, program: '', position: { x: i * 420, y: 0 } })) : [],
    channels: run?.type === 'run' ? run.channels.map((c) => ({ id: c.id, links: c.links, mechanism: c.mechanism, label: c.label })) : [],
  };
}

export function openRecording(rec: Recording): void {
  const { scenario } = checkScenarioShape(rec.scenario);
  // drawn as it ran, and locked (the run store's publish keeps a replay locked); a run of the
  // scenario being edited (one of a series) keeps it as it is, with its undo history
  const editing = useEditor.getState().scenario;
  if (JSON.stringify(rec.scenario) !== JSON.stringify(editing)) useEditor.getState().load(scenario ?? scenarioOfRun(rec));
  useTimeline.getState().open(rec);
  showTimelineTab();
  useUi.getState().fit();
  useNotify.getState().dismissBanner();
}

function refuse(text: string): false {
  useNotify.getState().showBanner({ title: 'Could not open the recording', text, reason: 'recording' });
  return false;
}

export async function openRecordingFile(file: File): Promise<boolean> {
  if (file.size > MAX_FILE) return refuse(`${file.name} is too large to be a recording.`);
  const json = recordingJson(await file.text());
  if (!json.ok) return refuse(`${file.name}: ${json.message}`);
  // a 60 s flood has ~30 000 events to check: in slices, so the page keeps drawing
  const r = (await inSlices(checkRecording(json.json), SLICE_MS, () => false))!;
  if (!r.ok) return refuse(`${file.name}: ${r.message}`);
  openRecording(r.recording);
  return true;
}

export function openRecordingLink(fragment: string): boolean {
  const r = decodeRecordingLink(fragment);
  if (!r.ok) return refuse(r.message);
  openRecording(r.recording);
  return true;
}
