import type { Command } from 'commander';
import type { ServerCommandDeps } from '../server/server-deps.js';
import { registerCacheCommands } from './cache-commands.js';
import { registerRackRunCommand } from './rack-command.js';

export { describeRackAgent } from './rack-command.js';

/** Registers `kiln rack` and `kiln rack cache warm|pin|unpin|list`. */
export function registerRackCommands(program: Command, deps: ServerCommandDeps = {}): void {
  registerCacheCommands(registerRackRunCommand(program, deps), deps);
}
