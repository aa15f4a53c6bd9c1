import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MachineInfo } from './machine.js';
import type { Stats, SuiteResult } from './types.js';

const fmt = (s: Stats): string => `${s.median.toFixed(1)} ±${s.mad.toFixed(1)}`;

export function formatTable(results: readonly SuiteResult[]): string {
  const rows = results.map((r) => [
    r.name,
    `${fmt(r.kiln)} ${r.units}`,
    r.peer === undefined ? '-' : `${r.peer.name}: ${fmt(r.peer)} ${r.units}`,
    r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}x`,
  ]);
  const header = ['suite', 'kiln (median ±MAD)', 'peer (median ±MAD)', 'kiln/peer'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export interface ResultsFile {
  readonly date: string;
  readonly machine: MachineInfo;
  readonly installedPackages: readonly string[];
  readonly results: readonly Record<string, unknown>[];
}

export async function writeResults(
  path: string,
  results: readonly SuiteResult[],
  machine: MachineInfo,
  installedPackages: readonly string[],
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const run = {
    date: new Date().toISOString(),
    load: [machine.start.loadAverage, machine.end?.loadAverage],
  };
  // A run of some suites replaces their rows and keeps the others (each row names its run).
  const previous = await readFile(path, 'utf8').then(
    (text) => (JSON.parse(text) as ResultsFile).results,
    () => [],
  );
  const names = new Set(results.map((r) => r.name));
  const kept = previous.filter((row) => typeof row.name === 'string' && !names.has(row.name));
  const body: ResultsFile = {
    date: run.date,
    machine,
    installedPackages,
    results: [
      ...kept,
      ...results.map((r) => ({
        run,
        name: r.name,
        description: r.description,
        units: r.units,
        kiln: r.kiln.median,
        kilnStats: r.kiln,
        peerName: r.peer?.name,
        peer: r.peer?.median,
        peerStats: r.peer,
        ratio: r.ratio,
        details: r.details,
      })),
    ],
  };
  await writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
}

/** The table again from a results file: the committed JSON reproduces the published table. */
export async function tableFromFile(path: string): Promise<string> {
  const file = JSON.parse(await readFile(path, 'utf8')) as ResultsFile;
  const results = file.results.map(
    (r) =>
      ({
        name: r.name,
        description: r.description,
        units: 'ms',
        kiln: r.kilnStats,
        peer: r.peerStats,
        ratio: r.ratio,
      }) as SuiteResult,
  );
  const m = file.machine;
  const load = (s: { loadAverage: readonly number[] } | undefined): string =>
    s === undefined ? '?' : s.loadAverage.map((l) => l.toFixed(2)).join(' ');
  return [
    formatTable(results),
    '',
    `${file.date}: ${m.cpuModel}, ${m.cpus} CPUs, ${(m.totalMemBytes / 2 ** 30).toFixed(1)} GiB, ` +
      `node ${m.node}; load ${load(m.start)} at start, ${load(m.end)} at end`,
  ].join('\n');
}
