// Newline-delimited JSON over a stream: the control and event pipes between server and hosts.

/** Calls onMessage with each JSON object read from stream, one per line; empty lines are skipped. */
export function onJsonLines(stream: NodeJS.ReadableStream, onMessage: (msg: any) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line) onMessage(JSON.parse(line));
    }
  });
}
