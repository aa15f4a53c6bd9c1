import type { Command } from 'commander';
import { AppError } from '@kiln/node-kit';
import { ApiClient, parseApiKey } from '../../client/index.js';
import type { CliContext } from './context.js';
import { fetchDescription } from './fetch-description.js';

export function registerLogoutCommand(program: Command, ctx: CliContext): void {
  program
    .command('logout')
    .summary('forget a profile and its credentials')
    .description('Log out of a remote API, purging any stored credentials.')
    .argument('<profile-name>', 'the profile to remove')
    .action(async (name: string) => {
      if (!(await ctx.store.remove(name))) {
        throw new AppError('CLI_PROFILE_NOT_FOUND', `Profile '${name}' not found.`);
      }
    });
}

export function registerListCommand(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .summary('list the profiles and the URLs they talk to')
    .description('List remote APIs that have been logged-in to.')
    .action(async () => {
      const file = await ctx.store.load();
      for (const name of Object.keys(file.profiles).sort()) {
        const profile = file.profiles[name];
        if (profile !== undefined) ctx.printer.line(`${name} ${profile.url}`);
      }
    });
}

export function registerRefreshCommand(program: Command, ctx: CliContext): void {
  program
    .command('refresh')
    .summary('re-fetch the API description of every profile')
    .description('Refresh the API descriptions of all profiles.')
    .action(async () => {
      const file = await ctx.store.load();
      // One unreachable region must not keep the other profiles stale: refresh what can be
      // refreshed, save once, and report the rest.
      const failures: string[] = [];
      for (const profile of Object.values(file.profiles)) {
        try {
          const key = profile.credentials === null ? null : parseApiKey(profile.credentials);
          profile.description = await fetchDescription(new ApiClient(key), profile.url);
        } catch (error) {
          failures.push(
            `${profile.name}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      await ctx.store.save(file);
      if (failures.length > 0) {
        throw new AppError('CLI_REFRESH_FAILED', `Could not refresh ${failures.join('; ')}`);
      }
    });
}
