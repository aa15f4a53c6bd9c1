import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, freemem, platform, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { Stats, SuiteResult } from './types.js';

export function machineInfo(): Record<string, unknown> {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model ?? 'unknown',
    cpus: cpu.length,
    totalMemBytes: totalmem(),
    freeMemBytes: freemem(),
    os: `${platform()} ${release()}`,
    node: process.version,
  };
}

const fmt = (s: Stats): string => `${s.median.toFixed(1)} ±${s.mad.toFixed(1)}`;

export function printTable(results: readonly SuiteResult[]): void {
  const rows = results.map((r) => [
    r.name,
    `${fmt(r.kiln)} ${r.units}`,
    r.peer === undefined ? '-' : `${r.peer.name}: ${fmt(r.peer)} ${r.units}`,
    r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}x`,
  ]);
  const header = ['suite', 'kiln (median ±MAD)', 'peer (median ±MAD)', 'kiln/peer'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

export async function writeResults(path: string, results: readonly SuiteResult[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const body = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    results: results.map((r) => ({
      name: r.name,
      description: r.description,
      units: r.units,
      kiln: r.kiln.median,
      kilnStats: r.kiln,
      peerName: r.peer?.name,
      peer: r.peer?.median,
      peerStats: r.peer,
      ratio: r.ratio,
    })),
  };
  await writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
}
