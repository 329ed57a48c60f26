'use client';
// Sharing, under the header's Share button: a link holding the whole scenario (copied with
// one click), the scenario as a file (download, open), and the live session (follow mode):
// a link to watch this tab, read-only, with the number of people following.
import { useEffect, useMemo, useRef, useState } from 'react';
import { SHARE_SOFT_LIMIT } from '@/lib/share';
import { followLink, startSharing, stopSharing, useFollow } from '../follow/follow';
import { ProjectorCode } from './ProjectorCode';
import { copyText, downloadScenario, openFile, shareLink } from '../scenario/open';
import { useEditor } from '../store/editor';
import { useUi } from '../store/ui';

function CopyField({ value, testId, label }: { value: string; testId: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const copy = async () => {
    const ok = await copyText(value);
    setCopied(ok ? 'yes' : 'no');
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(null), 2200);
  };
  return (
    <div className="copy-field">
      <input readOnly value={value} aria-label={label} data-testid={`${testId}-input`} onFocus={(e) => e.currentTarget.select()} />
      <button className={`btn small ${copied === 'yes' ? 'copied' : 'primary'}`} onClick={() => void copy()} data-testid={`${testId}-copy`} data-copied={copied ?? ''}>
        {copied === 'yes' ? '✓ Copied' : copied === 'no' ? 'Select & copy' : 'Copy link'}
      </button>
    </div>
  );
}

function LinkSection() {
  const scenario = useEditor((s) => s.scenario);
  const link = useMemo(() => shareLink(scenario), [scenario]);
  return (
    <section className="share-section" data-testid="share-link-section">
      <h4>Link</h4>
      <p className="muted small">The whole scenario is in the link itself (after the #): nothing is stored on the server.</p>
      {link.tooLong ? (
        <div className="share-toolong" data-testid="share-too-long">
          <p>
            This scenario makes a link of <b>{link.chars.toLocaleString('en')}</b> characters, more than the {SHARE_SOFT_LIMIT.toLocaleString('en')} that chat apps and mail
            reliably keep. Send the file instead:
          </p>
          <button className="btn primary small" onClick={() => downloadScenario(scenario)} data-testid="share-download-instead">
            Download {`.json`} file
          </button>
          <details>
            <summary className="small muted">Copy the long link anyway</summary>
            <CopyField value={link.url} testId="share-link" label="Share link" />
          </details>
        </div>
      ) : (
        <>
          <CopyField value={link.url} testId="share-link" label="Share link" />
          <p className="muted tiny" data-testid="share-link-size">
            {link.chars.toLocaleString('en')} characters
          </p>
        </>
      )}
    </section>
  );
}

function LiveSection() {
  const role = useFollow((s) => s.role);
  const token = useFollow((s) => s.token);
  const code = useFollow((s) => s.code);
  const followers = useFollow((s) => s.followers);
  const error = useFollow((s) => s.error);
  const busy = useFollow((s) => s.busy);
  return (
    <section className="share-section" data-testid="share-live-section">
      <h4>
        Live <span className="beta">follow mode</span>
      </h4>
      {role === 'presenter' && token ? (
        <>
          <p className="muted small">Anyone with this link watches this tab live, read-only: your drawing, your selection and every run you start. They cannot edit or control anything.</p>
          <CopyField value={followLink(token)} testId="follow-link" label="Live link" />
          {code ? (
            <div className="share-live-row">
              <span className="muted small">
                Or the code <b className="live-code" data-testid="follow-code">{code}</b> at /f/{code}
              </span>
              <button
                className="btn small"
                onClick={() => {
                  useUi.getState().set({ share: false });
                  useFollow.setState({ projector: true });
                }}
                data-testid="show-projector-code"
              >
                Show QR code
              </button>
            </div>
          ) : null}
          <div className="share-live-row">
            <span className="follower-count" data-testid="share-follower-count">
              <span className="live-dot" aria-hidden /> {followers} following
            </span>
            <button className="btn small danger" onClick={() => void stopSharing()} data-testid="stop-sharing">
              Stop sharing
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="muted small">Project a demo, or let a class watch on their own screens: they see your runs live, as you run them.</p>
          <button className="btn primary small" disabled={busy} onClick={() => void startSharing()} data-testid="share-live">
            <span className="live-dot" aria-hidden /> Share live
          </button>
        </>
      )}
      {error ? <p className="field-error">{error}</p> : null}
    </section>
  );
}

function FileSection() {
  const input = useRef<HTMLInputElement>(null);
  const locked = useEditor((s) => s.locked);
  return (
    <section className="share-section">
      <h4>File</h4>
      <div className="share-file-row">
        <button className="btn small" onClick={() => downloadScenario(useEditor.getState().scenario)} data-testid="download-json">
          Download .json
        </button>
        <button className="btn small" disabled={locked} onClick={() => input.current?.click()} data-testid="open-json" title={locked ? 'Stop the run first' : 'Open a scenario file (or drop one on the page)'}>
          Open a file…
        </button>
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="open-json-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void openFile(f).then((ok) => ok && useUi.getState().set({ share: false }));
          }}
        />
      </div>
      <p className="muted tiny">Opening one keeps your scenario one Ctrl-Z away. You can also drop a file on the page.</p>
    </section>
  );
}

export function SharePanel() {
  const open = useUi((s) => s.share);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      const t = e.target;
      if (t instanceof Node && (ref.current?.contains(t) || (t instanceof Element && t.closest('[data-share-toggle]')))) return;
      useUi.getState().set({ share: false });
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        useUi.getState().set({ share: false });
      }
    };
    window.addEventListener('pointerdown', close, true);
    window.addEventListener('keydown', key, true);
    return () => {
      window.removeEventListener('pointerdown', close, true);
      window.removeEventListener('keydown', key, true);
    };
  }, [open]);
  // the projector's code outlives the panel: it is shown once the panel has closed
  if (!open) return <ProjectorCode />;
  return (
    <div ref={ref} className="share-panel popup" role="dialog" aria-label="Share" data-testid="share-panel">
      <LinkSection />
      <LiveSection />
      <FileSection />
    </div>
  );
}
