import type { Readable, Writable } from 'node:stream';

/**
 * The streams and environment a CLI run talks to. Injected so that tests can run the whole
 * program in-process and read what it printed, and so that nothing below output/ touches
 * process.stdout directly.
 */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** True when a human is watching the stream (progress bars, colour-free decorations). */
export function isInteractive(stream: Writable): boolean {
  return (stream as Writable & { isTTY?: boolean }).isTTY === true;
}
