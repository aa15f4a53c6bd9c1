import type { CliIo } from './io.js';

/**
 * Every human-facing line the CLI prints goes through a Printer so that the destination
 * (real terminal or a test's buffer) is decided once, at the top of the program.
 */
export interface Printer {
  /** A result for scripts: JSON, pretty-printed with two spaces, on stdout. */
  json(value: unknown): void;
  /** A plain line on stdout (e.g. `kiln list`). */
  line(text: string): void;
  /** Raw response text on stdout, newline-terminated. */
  text(text: string): void;
  /** A problem on stderr. */
  error(text: string): void;
  /** Advice that does not change the outcome, on stderr. */
  warning(text: string): void;
  readonly io: CliIo;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

export function createPrinter(io: CliIo): Printer {
  return {
    io,
    json(value) {
      io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    line(text) {
      io.stdout.write(withNewline(text));
    },
    text(text) {
      if (text.length > 0) io.stdout.write(withNewline(text));
    },
    error(text) {
      io.stderr.write(withNewline(text));
    },
    warning(text) {
      io.stderr.write(withNewline(`WARNING: ${text}`));
    },
  };
}
