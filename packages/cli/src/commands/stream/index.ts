import type { Command } from 'commander';

/** Registers `kiln stream ...`; filled in by the simplestreams work. */
export function registerStreamCommands(_program: Command): void {
  // Intentionally empty until the stream tools land.
}
