import type { Command } from 'commander';

/** Registers `kiln start|region|init|createadmin|apikey|secret`; filled in by the region work. */
export function registerServerCommands(_program: Command): void {
  // Intentionally empty until the region foundation lands.
}
