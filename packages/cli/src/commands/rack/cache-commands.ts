import type { Command } from 'commander';
import { AppError } from '@kiln/node-kit';
import { formatBytes } from '../../output/index.js';
import { configFromOptions } from '../server/config-options.js';
import { say, type ServerCommandDeps } from '../server/server-deps.js';

interface CacheEntry {
  sha256: string;
  size: number;
  totalSize?: number;
  lastUsed: string;
  pinned: boolean;
  readers: number;
  state: string;
}

function agentUrl(command: Command, deps: ServerCommandDeps): string {
  const explicit = command.opts<{ rackUrl?: string }>().rackUrl;
  if (explicit !== undefined) return explicit.replace(/\/+$/, '');
  // The config flags (--rack-http-port, --config ...) belong to `kiln rack`, two levels up.
  const rack = command.parent?.parent ?? command;
  const config = configFromOptions(rack, deps.env ?? process.env);
  return `http://127.0.0.1:${String(config.rackHttpPort)}`;
}

/** The running agent owns the cache (its index is in memory), so the CLI asks it over loopback. */
async function callAgent(base: string, method: string, path: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, { method, signal: AbortSignal.timeout(3_600_000) });
  } catch (error) {
    throw new AppError(
      'RACK_AGENT_UNREACHABLE',
      `No rack agent answers at ${base} (is \`kiln rack\` or \`kiln start\` running on this host?)`,
      { cause: error },
    );
  }
  const body = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok)
    throw new AppError(
      'RACK_CACHE_COMMAND_FAILED',
      body.message ?? `HTTP ${String(response.status)}`,
      {
        status: response.status,
      },
    );
  return body;
}

function shaArguments(shas: readonly string[]): string[] {
  const bad = shas.filter((sha) => !/^[0-9a-fA-F]{64}$/.test(sha));
  if (bad.length > 0) throw new AppError('RACK_SHA256_INVALID', `Not a sha256: ${bad.join(', ')}`);
  return shas.map((sha) => sha.toLowerCase());
}

/** `kiln rack cache warm|pin|unpin <sha256...>` and `kiln rack cache list`. */
export function registerCacheCommands(rack: Command, deps: ServerCommandDeps): void {
  const cache = rack
    .command('cache')
    .description('Inspect and steer the running rack agent’s boot-file cache.');
  const withUrl = (command: Command) =>
    command.option('--rack-url <url>', 'the agent (default http://127.0.0.1:<rack_http_port>)');

  withUrl(
    cache.command('list').description('List cached files (state, size, pinned, last use).'),
  ).action(async (_o: unknown, command: Command) => {
    const base = agentUrl(command, deps);
    const answer = (await callAgent(base, 'GET', '/agent/cache/')) as {
      stats: { usedBytes: number; maxBytes: number; entries: number };
      entries: CacheEntry[];
    };
    say(
      command,
      `${String(answer.stats.entries)} files, ${formatBytes(answer.stats.usedBytes)} of ${formatBytes(answer.stats.maxBytes)}`,
    );
    for (const entry of answer.entries)
      say(
        command,
        `${entry.sha256}  ${entry.state.padEnd(8)} ${formatBytes(entry.size).padStart(10)}  ${entry.pinned ? 'pinned' : '      '}  ${entry.lastUsed}`,
      );
  });
  for (const [op, text] of [
    ['warm', 'Fetch files from the region into the cache now (and wait until verified).'],
    ['pin', 'Never evict these files (pinning a file not cached yet pins it on arrival).'],
    ['unpin', 'Let these files be evicted again.'],
  ] as const) {
    withUrl(cache.command(`${op} <sha256...>`).description(text)).action(
      async (shas: string[], _o: unknown, command: Command) => {
        const base = agentUrl(command, deps);
        for (const sha of shaArguments(shas)) {
          const answer = (await callAgent(base, 'POST', `/agent/cache/${sha}/${op}/`)) as {
            size?: number;
          };
          say(
            command,
            op === 'warm' ? `${sha} cached (${formatBytes(answer.size ?? 0)})` : `${sha} ${op}ned`,
          );
        }
      },
    );
  }
}
