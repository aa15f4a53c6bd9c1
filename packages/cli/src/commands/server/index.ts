import type { Command } from 'commander';
import { registerAdminCommands } from './admin-commands.js';
import type { ServerCommandDeps } from './server-deps.js';
import { registerStartCommands } from './start-command.js';

export type { ServerCommandDeps } from './server-deps.js';

/** Registers `kiln start|region|init|createadmin|apikey|secret`. */
export function registerServerCommands(program: Command, deps: ServerCommandDeps = {}): void {
  registerStartCommands(program, deps);
  registerAdminCommands(program, deps);
}
