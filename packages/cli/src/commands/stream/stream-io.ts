import { createPrinter, processIo, type CliIo, type Printer } from '../../output/index.js';

/** What the stream commands print to: injected so tests can run them in-process. */
export interface StreamCommandIo {
  readonly io: CliIo;
  readonly printer: Printer;
}

export function streamIo(io: CliIo = processIo()): StreamCommandIo {
  return { io, printer: createPrinter(io) };
}

/** Commander collects repeated or variadic values; this parses a positive integer option. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`expected a positive integer, got ${JSON.stringify(value)}`);
  return n;
}
