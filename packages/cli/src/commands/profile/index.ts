import type { Command } from 'commander';
import type { Profile } from '../../profiles/index.js';
import { registerProfileApiCommands } from './api-commands.js';
import type { CliContext } from './context.js';
import { registerLoginCommand } from './login.js';
import { registerListCommand, registerLogoutCommand, registerRefreshCommand } from './manage.js';

export { EXIT_HTTP_FAILURE, type CliContext } from './context.js';
export { checkProfileName } from './login.js';

/** `login`, `logout`, `list`, `refresh`: the commands that manage profiles. */
export function registerProfileCommands(
  program: Command,
  ctx: CliContext,
  reserved: () => ReadonlySet<string>,
): void {
  registerLoginCommand(program, ctx, reserved);
  registerLogoutCommand(program, ctx);
  registerListCommand(program, ctx);
  registerRefreshCommand(program, ctx);
}

/** `kiln PROFILE RESOURCE ACTION ...` for every stored profile. */
export function registerApiCommands(
  program: Command,
  ctx: CliContext,
  profiles: readonly Profile[],
  invoked: string | undefined,
): void {
  registerProfileApiCommands(program, ctx, profiles, invoked);
}
