'use client';
// "Open a recording…": a file input behind a button (a dropped file opens the same way).
import { useRef } from 'react';
import { openRecordingFile } from './openRecording';

export function OpenRecordingButton({ primary }: { primary?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button className={`btn small ${primary ? 'primary' : ''}`} onClick={() => input.current?.click()} data-testid="open-recording">
        Open a recording…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="recording-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void openRecordingFile(file);
        }}
      />
    </>
  );
}
