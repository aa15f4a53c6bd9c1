import { Agent } from 'node:http';
import { bootMachine, type MachineContext } from './machine-client.js';
import type { BootStormOptions, BootStormReport, MachineResult } from './types.js';

/** Locally administered unicast MACs (02:...), unique per machine index and storm seed. */
export function simulatedMac(index: number, seed = 0): string {
  const bytes = [0x02, 0x6b, seed & 0xff, (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, rank)] ?? 0;
}

export function summarise(results: readonly MachineResult[], totalMs: number): BootStormReport {
  const done = results.filter((r) => r.ok);
  const times = done.map((r) => r.ms).sort((a, b) => a - b);
  const files: Record<string, number> = {};
  for (const r of results) for (const f of r.files) files[f.path] = f.bytes;
  return {
    machines: results.length,
    completed: done.length,
    failed: results.length - done.length,
    totalMs,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    maxMs: times.at(-1) ?? 0,
    bytes: results.reduce((sum, r) => sum + r.bytes, 0),
    errors: results
      .filter((r) => r.error !== undefined)
      .slice(0, 10)
      .map((r) => ({
        mac: r.mac,
        step: r.error?.step ?? 'config',
        message: r.error?.message ?? '',
      })),
    files,
  };
}

/**
 * Boots `machines` simulated machines against one rack, at most `concurrency` at a time, each on
 * its own connections (a machine is its own TCP peer). Resolves when every machine has finished
 * or failed; a deadline turns the machines not yet started into failures, so a storm against a
 * wedged server ends by itself.
 */
export async function runBootStorm(options: BootStormOptions): Promise<BootStormReport> {
  const machines = options.machines ?? 500;
  const concurrency = Math.max(1, Math.min(options.concurrency ?? machines, machines));
  const deadline = performance.now() + (options.deadlineMs ?? 30 * 60_000);
  const results: MachineResult[] = [];
  let next = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (next < machines) {
      const mac = simulatedMac(next++, options.macSeed);
      if (performance.now() > deadline) {
        const error = { step: 'config' as const, message: 'storm deadline passed' };
        results.push({ mac, ok: false, ms: 0, bytes: 0, files: [], error });
        continue;
      }
      // A fresh connection per file, as PXE firmware does: reusing one races the server's
      // keep-alive timeout when a loaded client is slow to send its next request.
      const agent = new Agent({ keepAlive: false, maxSockets: 1 });
      const ctx: MachineContext = {
        baseUrl: options.baseUrl.replace(/\/$/, ''),
        agent,
        timeoutMs: options.timeoutMs ?? 60_000,
        verify: options.verify ?? true,
        tftpPort: options.tftpPort,
      };
      try {
        results.push(await bootMachine(mac, ctx));
      } finally {
        agent.destroy();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarise(results, performance.now() - start);
}
