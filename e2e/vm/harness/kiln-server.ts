import { join, resolve } from 'node:path';
import { startDaemon, type Daemon } from './daemon.js';
import { inNs, waitFor } from './shell.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export interface KilnServer {
  readonly daemon: Daemon;
  readonly apiKey: string;
  readonly regionUrl: string;
  readonly rackUrl: string;
}

/**
 * `kiln start` (region + rack agent in one process, DESIGN.md) inside the namespace, from the
 * checkout's sources, with a fresh data directory and the test stream as its first boot source.
 * The first start creates the administrator and prints its API key once: the harness reads it.
 */
export async function startKiln(
  ns: string,
  rackAddress: string,
  opts: { dataDir: string; artifacts: string; streamUrl: string; keyring: string },
): Promise<KilnServer> {
  const env = {
    ...process.env,
    KILN_DATA_DIR: opts.dataDir,
    KILN_BOOT_SOURCE_URL: opts.streamUrl,
    KILN_BOOT_SOURCE_KEYRING: opts.keyring,
    KILN_LISTEN_ADDRESS: '0.0.0.0',
    KILN_REGION_PORT: '5240',
    KILN_RACK_HTTP_PORT: '5248',
    KILN_TFTP_PORT: '69',
    KILN_LOG_LEVEL: process.env.KILN_LOG_LEVEL ?? 'info',
  };
  const daemon = startDaemon(
    ns,
    'kiln',
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'packages/cli/src/main.ts'), 'start'],
    { env, cwd: REPO_ROOT, logFile: join(opts.artifacts, 'kiln.log') },
  );
  const key = await daemon.waitForLine(/API key \(shown once\): (\S+)/, 120_000);
  const regionUrl = `http://${rackAddress}:5240`;
  const rackUrl = `http://${rackAddress}:5248`;
  await waitFor(
    `the rack agent of \`kiln start\` answering on ${rackUrl} (needs the rack agent wired into packages/cli/src/commands/server/start-command.ts)`,
    async () => {
      const code = await inNs(ns, 'curl', [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        `${rackUrl}/ipxe.cfg`,
      ]);
      return code === '200' ? true : undefined;
    },
    60_000,
    1000,
  );
  return { daemon, apiKey: key[1] ?? '', regionUrl, rackUrl };
}
