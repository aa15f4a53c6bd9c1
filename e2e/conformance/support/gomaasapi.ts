import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEBIAN_GO } from './tools.js';

const run = promisify(execFile);
const PROBE_SOURCE = join(dirname(fileURLToPath(import.meta.url)), '../gomaasapi/kilnprobe');

export interface ProbeLine {
  readonly call: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly result?: unknown;
}

/**
 * Builds the probe offline with Debian's Go in GOPATH mode against Debian's gomaasapi
 * (/usr/share/gocode), in a private build cache.
 */
export async function buildProbe(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-gomaasapi-'));
  const binary = join(dir, 'kilnprobe');
  await run(DEBIAN_GO, ['build', '-o', binary, '.'], {
    cwd: PROBE_SOURCE,
    timeout: 300_000,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: dir,
      GO111MODULE: 'off',
      GOPATH: `${join(dir, 'gopath')}:/usr/share/gocode`,
      GOCACHE: join(dir, 'cache'),
      GOFLAGS: '',
      GOPROXY: 'off',
    },
  });
  return binary;
}

/** Runs the probe; one line per gomaasapi call, whatever the exit status. */
export async function runProbe(binary: string, args: readonly string[]): Promise<ProbeLine[]> {
  const result = await run(binary, [...args], { timeout: 120_000 }).catch(
    (error: unknown) => error as { stdout: string; stderr: string },
  );
  return result.stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as ProbeLine);
}
