import type { Command } from 'commander';
import { AppError } from '@kiln/node-kit';
import {
  ApiClient,
  formatApiKey,
  normaliseApiUrl,
  parseApiKey,
  type ApiCredentials,
} from '../../client/index.js';
import type { CliContext } from './context.js';
import { fetchDescription } from './fetch-description.js';
import { readFirstLine } from './read-key.js';

const PROFILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$/;

/** Profile names become commands next to `login`, `start`, ...: they must not shadow them. */
export function checkProfileName(name: string, reserved: ReadonlySet<string>): void {
  if (!PROFILE_NAME.test(name)) {
    throw new AppError(
      'CLI_BAD_PROFILE_NAME',
      `Profile name '${name}' must start with a letter, digit or '_' and contain no spaces or '/'.`,
    );
  }
  if (reserved.has(name)) {
    throw new AppError(
      'CLI_BAD_PROFILE_NAME',
      `Profile name '${name}' is a kiln command; choose another.`,
    );
  }
}

/** 200 = valid key, 401 = invalid key, anything else is a server problem (as `maas login`). */
async function checkApiKey(client: ApiClient, apiUrl: string): Promise<void> {
  const url = new URL('users/', apiUrl);
  url.searchParams.set('op', 'whoami');
  const response = await client.send({ method: 'GET', url: url.toString() });
  if (response.status === 200) return;
  if (response.status === 401) {
    throw new AppError(
      'CLI_INVALID_API_KEY',
      `invalid API key: the server at ${apiUrl} rejected it.`,
    );
  }
  throw new AppError(
    'CLI_UNEXPECTED_RESPONSE',
    `The server gave an unexpected response to users/?op=whoami: ${response.status} ${response.statusText}`,
  );
}

async function obtainCredentials(
  ctx: CliContext,
  key: string | undefined,
): Promise<ApiCredentials | null> {
  const text = key === '-' ? await readFirstLine(ctx.io.stdin) : (key ?? '');
  return text.trim().length === 0 ? null : parseApiKey(text);
}

export function registerLoginCommand(
  program: Command,
  ctx: CliContext,
  reservedNames: () => ReadonlySet<string>,
): void {
  program
    .command('login')
    .summary('log in to a MAAS-compatible region and remember its API description')
    .description(
      'Log in to a remote API, and remember its description and credentials.\n\n' +
        'The API key is checked with users/?op=whoami, then the API description (describe/) is ' +
        'stored with the profile so that `kiln PROFILE RESOURCE ACTION` commands can be built.',
    )
    .argument('<profile-name>', 'the name to give the profile; it becomes a command')
    .argument('<url>', 'the region, e.g. http://localhost:5240/MAAS/ (or .../MAAS/api/2.0/)')
    .argument(
      '[credentials]',
      "API key consumer:token:secret; '-' reads it from stdin; omit for anonymous",
    )
    .action(async (name: string, rawUrl: string, key: string | undefined) => {
      checkProfileName(name, reservedNames());
      const url = normaliseApiUrl(rawUrl);
      const credentials = await obtainCredentials(ctx, key);
      const client = new ApiClient(credentials);
      if (credentials !== null) await checkApiKey(client, url);
      const description = await fetchDescription(client, url);
      await ctx.store.put({
        name,
        url,
        credentials: credentials === null ? null : formatApiKey(credentials),
        description,
      });
      ctx.printer.line(
        `You are now logged in to the region at ${url} with the profile name '${name}'` +
          `${credentials === null ? ' (anonymous)' : ''}.\n\n` +
          `For help with the available commands, try:\n\n  kiln ${name} --help\n`,
      );
    });
}
