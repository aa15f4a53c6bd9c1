import { PassThrough, Readable, Writable } from 'node:stream';
import type { CliIo } from '../../output/index.js';

export interface CapturedIo {
  readonly io: CliIo;
  stdout(): string;
  stderr(): string;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Streams for an in-process `runCli`; stdin carries `input` (or nothing). */
export function captureIo(env: Record<string, string | undefined>, input?: string): CapturedIo {
  const out = collector();
  const err = collector();
  const stdin: Readable = input === undefined ? new PassThrough().end() : Readable.from([input]);
  return {
    io: { stdout: out.stream, stderr: err.stream, stdin, env },
    stdout: out.text,
    stderr: err.text,
  };
}
