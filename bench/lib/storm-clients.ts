// The boot storm's simulated machines in a process of their own. In the bench process they
// shared one event loop with the in-process region and the counting proxy: while the first
// machines hashed their downloads (every byte, sha256), the region's boot-config answers for
// the machines still waiting queued behind that work, and a storm of 500 at the default sizes
// left 392 machines without a config for over 60 s. A rack talks to a region on another host;
// the clients now get a loop (and, on two cores, a core) of their own, for Kiln and nginx alike.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runBootStorm, type BootStormOptions, type BootStormReport } from '@kiln/testkit';

const self = fileURLToPath(import.meta.url);

/** `runBootStorm(options)` in a child Node process; its report comes back as JSON on stdout. */
export async function runBootStormInChild(options: BootStormOptions): Promise<BootStormReport> {
  const child = spawn(process.execPath, [...process.execArgv, self, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`boot storm clients exited with ${String(code)}`);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as BootStormReport;
}

if (process.argv[1] === self) {
  const options = JSON.parse(process.argv[2] ?? '{}') as BootStormOptions;
  process.stdout.write(JSON.stringify(await runBootStorm(options)));
}
