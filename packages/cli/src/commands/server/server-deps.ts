import type { Command } from 'commander';
import type { DestinationStream } from 'pino';

/** What the server commands take from their surroundings; tests pass their own. */
export interface ServerCommandDeps {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where `kiln start|region` write JSON logs; stdout when absent. */
  readonly logDestination?: DestinationStream;
  /** Called with the running servers' close function instead of installing signal handlers. */
  readonly onStarted?: (stop: () => Promise<void>, url: string) => void;
}

/**
 * Writes a line through the program's configured output, so that `runCli` with injected
 * streams (and tests) capture it, instead of writing to process.stdout behind its back.
 */
export function say(command: Command, text: string): void {
  let root: Command = command;
  while (root.parent !== null) root = root.parent;
  const output = root.configureOutput();
  const line = text.endsWith('\n') ? text : `${text}\n`;
  if (output.writeOut === undefined) process.stdout.write(line);
  else output.writeOut(line);
}
