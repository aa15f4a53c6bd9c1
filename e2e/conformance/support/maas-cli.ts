import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEBIAN_PYTHON, maascliSource } from './tools.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  /** stdout's bytes (BSON answers are not text). */
  readonly raw: Buffer;
  readonly stderr: string;
}

/** One `maas` profile in a private HOME (the CLI keeps its profiles in ~/.maascli.db). */
export interface MaasCli {
  run(...args: string[]): Promise<CliResult>;
  /** Runs, requires exit status 0 and parses stdout as JSON. */
  json<T = unknown>(...args: string[]): Promise<T>;
  close(): Promise<void>;
}

export async function maasCli(): Promise<MaasCli> {
  const home = await mkdtemp(join(tmpdir(), 'kiln-maascli-'));
  const run = (...args: string[]): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(DEBIAN_PYTHON, ['-m', 'maascli', ...args], {
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: home,
          PYTHONPATH: maascliSource(),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.on('error', reject);
      child.on('close', (code) =>
        resolve({
          code: code ?? -1,
          stdout: Buffer.concat(out).toString('utf8'),
          raw: Buffer.concat(out),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      );
    });
  return {
    run,
    json: async <T>(...args: string[]): Promise<T> => {
      const result = await run(...args);
      if (result.code !== 0) {
        throw new Error(
          `maas ${args.join(' ')} exited ${String(result.code)}: ${result.stdout}${result.stderr}`,
        );
      }
      return JSON.parse(result.stdout) as T;
    },
    close: () => rm(home, { recursive: true, force: true }),
  };
}
