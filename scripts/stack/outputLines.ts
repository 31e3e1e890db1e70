import type { Readable } from 'node:stream';

/** Calls `onLine` for each whole line a child process writes to any of `streams` (a chunk may end mid-line). */
export function onOutputLines(streams: (Readable | null | undefined)[], onLine: (line: string) => void): void {
  for (const stream of streams) {
    if (!stream) continue;
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
  }
}
