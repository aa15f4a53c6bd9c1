import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { peakRssBytes } from '../peak-rss.js';

const CHILD = join(import.meta.dirname, 'rack-child.ts');

export interface RackProcess {
  /** A loopback address of its own, so the rack can use its standard port 5248. */
  readonly host: string;
  readonly baseUrl: string;
  readonly tftpPort: number | undefined;
  readonly pid: number;
  peakRssBytes(): Promise<number>;
  stop(): Promise<void>;
}

export interface LaunchRackOptions {
  readonly regionUrl: string;
  readonly rackSecret: string;
  readonly tftp?: boolean;
  /** Extra node flags for the child (`--cpu-prof`, `--cpu-prof-dir=...`). */
  readonly nodeFlags?: readonly string[];
}

/**
 * Starts a cold rack (empty cache directory) in a child process on 127.0.0.<n>:5248. The region
 * answers with image URLs on the rack's standard port, so each rack gets its own loopback
 * address rather than another port; a taken address is retried on the next one.
 */
export async function launchRack(options: LaunchRackOptions): Promise<RackProcess> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'kiln-storm-cache-'));
  for (let attempt = 0; attempt < 20; attempt++) {
    const host = `127.0.${100 + Math.floor(Math.random() * 100)}.${2 + Math.floor(Math.random() * 250)}`;
    const tftpPort = options.tftp === true ? 6969 : undefined;
    const child = spawn(
      process.execPath,
      [...(options.nodeFlags ?? []), '--conditions=source', '--import', 'tsx', CHILD],
      {
        env: {
          ...process.env,
          KILN_STORM_RACK: JSON.stringify({
            host,
            httpPort: 5248,
            tftpPort,
            regionUrl: options.regionUrl,
            rackSecret: options.rackSecret,
            cacheDir,
          }),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const ready = await new Promise<boolean>((resolve) => {
      const lines = createInterface({ input: child.stdout });
      lines.once('line', () => resolve(true));
      child.once('exit', () => resolve(false));
    });
    if (!ready || child.pid === undefined) continue;
    const pid = child.pid;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
      host,
      baseUrl: `http://${host}:5248`,
      tftpPort,
      pid,
      peakRssBytes: () => peakRssBytes(pid),
      async stop() {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
        await rm(cacheDir, { recursive: true, force: true });
      },
    };
  }
  await rm(cacheDir, { recursive: true, force: true });
  throw new Error('could not start a rack child process on a loopback address');
}
