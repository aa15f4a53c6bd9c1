import type { Command } from 'commander';
import { AppError } from '@kiln/node-kit';
import {
  createAdmin,
  createApiKey,
  getOrCreateRackSecret,
  initRegion,
  listApiKeys,
  openRegionDatabase,
  revokeApiKey,
} from '@kiln/region';
import { addConfigOptions, configFromOptions } from './config-options.js';
import { say, type ServerCommandDeps } from './server-deps.js';

async function withDatabase<T>(
  command: Command,
  deps: ServerCommandDeps,
  run: (db: Awaited<ReturnType<typeof openRegionDatabase>>['db']) => Promise<T>,
): Promise<T> {
  const database = await openRegionDatabase(configFromOptions(command, deps.env ?? process.env));
  try {
    return await run(database.db);
  } finally {
    await database.close();
  }
}

function required(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new AppError('CLI_ARGUMENT_MISSING', `${flag} is required`);
  }
  return value;
}

/** `kiln init`, `kiln createadmin`, `kiln apikey`, `kiln secret`: work on the configured database directly. */
export function registerAdminCommands(program: Command, deps: ServerCommandDeps): void {
  addConfigOptions(
    program
      .command('init')
      .description('Create the data directory, the database schema and the region identity.'),
  ).action(async (_options: unknown, command: Command) => {
    const result = await initRegion(configFromOptions(command, deps.env ?? process.env));
    say(
      command,
      `Initialised ${result.dataDir} (database: ${result.dialect}, region id: ${result.regionId}).`,
    );
  });

  addConfigOptions(
    program
      .command('createadmin')
      .description('Create an administrator account.')
      .option('--username <name>', 'user name of the new administrator')
      .option('--password <password>', 'password of the new administrator')
      .option('--email <email>', 'email address of the new administrator'),
  ).action(async (options: Record<string, unknown>, command: Command) => {
    const details = {
      username: required(options.username, '--username'),
      password: required(options.password, '--password'),
      email: required(options.email, '--email'),
    };
    await withDatabase(command, deps, (db) => createAdmin(db, details));
    say(command, `Created administrator ${details.username}.`);
  });

  addConfigOptions(
    program
      .command('apikey')
      .description("List a user's API keys; --generate creates a new one, --delete revokes one.")
      .option('--username <name>', 'the user whose keys to show')
      .option('--generate', 'create and print a new API key')
      .option('--delete <key>', 'revoke the given API key')
      .option('--name <name>', 'name for a generated key', 'CLI key'),
  ).action(async (options: Record<string, unknown>, command: Command) => {
    const username = required(options.username, '--username');
    await withDatabase(command, deps, async (db) => {
      if (typeof options.delete === 'string') {
        await revokeApiKey(db, username, options.delete);
        say(command, 'Deleted the API key.');
        return;
      }
      const existing = options.generate === true ? [] : await listApiKeys(db, username);
      const keys =
        existing.length > 0 ? existing : [await createApiKey(db, username, String(options.name))];
      for (const key of keys) say(command, key);
    });
  });

  addConfigOptions(
    program
      .command('secret')
      .description('Print the shared secret rack agents use (KILN_RACK_SECRET), creating it once.'),
  ).action(async (_options: unknown, command: Command) => {
    const secret = await withDatabase(command, deps, (db) => getOrCreateRackSecret(db));
    say(command, secret);
  });
}
