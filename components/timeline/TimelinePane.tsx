'use client';
// The Timeline tab: the run's sequence diagram (lib/timeline), drawn from its recording, with
// a time cursor. Clicking or dragging on it sets the moment the whole page shows; the keys
// , and . step one event back and forward (< and > one event of the selected process), End
// returns to live. Zoom opens folded bundles; the picture and the recording download.
// A long run's diagram is built and drawn in slices (lib/timeline/steps.ts) and put on the
// page a chunk per task, so that a 60 s flood never holds the thread for long; the diagram
// shown stays until the next one is ready.
import { useEffect, useRef, useState } from 'react';
import type { Recording } from '@/lib/recording/format';
import { recordingLength } from '@/lib/recording/format';
import { tAt, timelineSteps, type TimelineModel } from '@/lib/timeline/model';
import { SLICE_MS, inSlices } from '@/lib/timeline/steps';
import { GEOMETRY, formatMs, geometryOf, svgText, timelineSvgSteps, type Geometry, type SvgParts } from '@/lib/timeline/svg';
import { prepareScrub } from '../run/picture';
import { liveRun, useRun } from '../store/run';
import { liveRecording, useTimeline } from '../store/timeline';
import { downloadPng, downloadRecording, downloadSvg, fileStem } from './exports';

const ZOOMS = [0.5, 1, 2, 4, 8, 16];

interface Drawn {
  model: TimelineModel;
  geo: Geometry;
  parts: SvgParts;
}

/**
 * The diagram of a recording at a zoom, built in slices; the previous one until it is ready.
 * `settled`: the recording will not be replaced a moment later (not a live run's copy of the second).
 */
function useDrawn(recording: Recording | null, zoom: number, settled: boolean): Drawn | null {
  const [drawn, setDrawn] = useState<Drawn | null>(null);
  const keep = useRef(settled);
  keep.current = settled;
  useEffect(() => {
    if (!recording) return setDrawn(null);
    let cancelled = false;
    const gone = () => cancelled;
    void (async () => {
      const model = await inSlices(timelineSteps(recording, { maxRows: Math.round(240 * zoom), pxPerMs: 8 * zoom, gapMax: 60 * Math.sqrt(zoom) }), SLICE_MS, gone);
      const parts = model && (await inSlices(timelineSvgSteps(model), SLICE_MS, gone));
      if (!model || !parts || cancelled) return;
      setDrawn({ model, geo: geometryOf(model), parts });
      // then the pictures a scrub starts from, so that none re-applies the whole run (a live
      // copy is replaced within a second, and a scrub that leaves live takes its own)
      if (keep.current) await prepareScrub(recording, SLICE_MS, gone);
    })();
    return () => {
      cancelled = true;
    };
  }, [recording, zoom]);
  return drawn;
}

/** Puts a drawing in `holder`: the empty <svg> at once, then its content a chunk per task. */
function useSvgIn(holder: React.RefObject<HTMLDivElement | null>, parts: SvgParts | null): void {
  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    // our own SVG text: every text in it is escaped (lib/timeline/svg.ts)
    el.innerHTML = parts ? `${parts.open}</svg>` : '';
    const svg = el.firstElementChild;
    if (!parts || !svg) return;
    let i = 0;
    let cancelled = false;
    const ch = new MessageChannel();
    const next = () => {
      if (cancelled) return;
      const start = performance.now();
      while (i < parts.chunks.length && performance.now() - start < SLICE_MS) svg.insertAdjacentHTML('beforeend', parts.chunks[i++]);
      if (i < parts.chunks.length) ch.port2.postMessage(null);
      else el.dataset.drawn = 'true';
    };
    ch.port1.onmessage = next;
    delete el.dataset.drawn;
    next();
    return () => {
      cancelled = true;
      ch.port1.close();
    };
  }, [holder, parts]);
}
/** How often a live run's timeline is redrawn while the tab is open. */
const LIVE_REDRAW_MS = 1000;

export function TimelinePane() {
  const recording = useTimeline((s) => s.recording);
  const cursor = useTimeline((s) => s.cursor);
  const source = useTimeline((s) => s.source);
  const status = useRun((s) => s.status);
  const [zoom, setZoom] = useState(1);
  /** Scrolled past the diagram's own heads: the process names stay at the top. */
  const [pastHeads, setPastHeads] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const cursorLine = useRef<HTMLDivElement>(null);

  // a live run: its recording is copied on open, then every second while it runs
  useEffect(() => {
    useTimeline.getState().refresh();
    if (status !== 'running') return;
    const t = setInterval(() => {
      if (useTimeline.getState().cursor === null) useTimeline.getState().refresh();
    }, LIVE_REDRAW_MS);
    return () => clearInterval(t);
  }, [status]);

  const drawn = useDrawn(recording, zoom, !(source === 'run' && status === 'running' && cursor === null));
  const model = drawn?.model ?? null;
  const geo = drawn?.geo ?? null;
  const parts = drawn?.parts ?? null;
  const svgBox = useRef<HTMLDivElement>(null);
  useSvgIn(svgBox, parts);
  const end = recording ? recordingLength(recording) : 0;
  const at = cursor ?? end;

  // the cursor stays in view as it steps
  useEffect(() => {
    const el = cursorLine.current;
    const b = box.current;
    if (!el || !b || cursor === null) return;
    const top = el.offsetTop;
    if (top < b.scrollTop + 30 || top > b.scrollTop + b.clientHeight - 30) b.scrollTop = top - b.clientHeight / 2;
  }, [cursor, parts]);

  const timeAt = (e: React.PointerEvent<HTMLDivElement>) => {
    if (!model) return 0;
    const rect = e.currentTarget.getBoundingClientRect();
    return tAt(model, e.clientY - rect.top - GEOMETRY.top);
  };

  if (!recording || !model || !geo) {
    return (
      <div className="timeline-pane">
        <p className="muted pad" data-testid="timeline-empty">
          {status === 'running' || status === 'starting'
            ? 'Recording the run…'
            : recording
              ? 'Drawing the timeline…'
            : 'Every run is recorded: run the scenario, and its sequence diagram shows here, one lifeline per process, with an arrow for every message and signal. Click on it to see the whole page at that moment.'}
        </p>
      </div>
    );
  }
  const stem = fileStem(recording);
  // the run itself, not the moment shown, says whether there is a live to return to
  const live = source === 'run' && liveRun().status === 'running';

  return (
    <div className="timeline-pane" data-testid="timeline-pane">
      <div className="pane-bar timeline-bar">
        <div className="btn-group" role="group" aria-label="Step through the run">
          <button className="btn small" onClick={() => useTimeline.getState().step(-1)} title="One event back (,)" data-testid="step-back" aria-label="One event back">
            ◀
          </button>
          <button className="btn small" onClick={() => useTimeline.getState().step(1)} title="One event forward (.)" data-testid="step-forward" aria-label="One event forward">
            ▶
          </button>
          <button className={`btn small ${cursor === null ? 'active' : ''}`} onClick={() => useTimeline.getState().toLive()} disabled={cursor === null} title="Back to the live run, or the end (End)" data-testid="to-live">
            {live ? 'Live' : 'End'} ⇥
          </button>
        </div>
        <span className={`timeline-at ${cursor === null ? '' : 'scrubbing'}`} data-testid="timeline-at" data-t={at}>
          {cursor === null ? (live ? 'live' : 'end') : 'at'} {formatMs(at)}
        </span>
        <div className="btn-group" role="group" aria-label="Zoom">
          <button className="btn small icon" onClick={() => setZoom(ZOOMS[Math.max(0, ZOOMS.indexOf(zoom) - 1)])} disabled={zoom === ZOOMS[0]} aria-label="Zoom out" data-testid="zoom-out">
            −
          </button>
          <button className="btn small icon" onClick={() => setZoom(ZOOMS[Math.min(ZOOMS.length - 1, ZOOMS.indexOf(zoom) + 1)])} disabled={zoom === ZOOMS[ZOOMS.length - 1]} aria-label="Zoom in" data-testid="zoom-in">
            +
          </button>
        </div>
        <span className="spacer" />
        <button className="btn small" data-testid="download-recording" onClick={() => downloadRecording(source === 'run' ? (liveRecording() ?? recording) : recording)} title="The run's recording: open it later in /replay">
          Download recording
        </button>
        <button className="btn small" data-testid="export-svg" onClick={() => downloadSvg(svgText(parts!), stem)}>
          SVG
        </button>
        <button className="btn small" data-testid="export-png" onClick={() => void downloadPng(svgText(parts!), stem)}>
          PNG
        </button>
      </div>
      <div className="timeline-scroll" ref={box} data-testid="timeline-scroll" onScroll={(e) => setPastHeads(e.currentTarget.scrollTop > GEOMETRY.top - 8)}>
        {pastHeads ? (
          <div className="timeline-heads" style={{ width: geo.width }} aria-hidden>
            {model.processes.map((p) => (
              <span key={p.id} style={{ left: geo.x[p.id] }}>
                {p.name}
              </span>
            ))}
          </div>
        ) : null}
        <div
          className="timeline-canvas"
          style={{ width: geo.width, height: geo.height }}
          data-testid="timeline-canvas"
          onPointerDown={(e) => {
            if (e.button !== 0) return;
            e.currentTarget.setPointerCapture(e.pointerId);
            useTimeline.getState().scrub(timeAt(e));
          }}
          onPointerMove={(e) => {
            if (e.currentTarget.hasPointerCapture(e.pointerId)) useTimeline.getState().scrub(timeAt(e));
          }}
        >
          <div className="timeline-svg" ref={svgBox} data-testid="timeline-svg" />
          <div ref={cursorLine} className={`timeline-cursor ${cursor === null ? 'at-end' : ''}`} style={{ top: geo.y(at) }} data-testid="timeline-cursor">
            <span>{formatMs(at)}</span>
          </div>
        </div>
      </div>
    </div>
  );
}
