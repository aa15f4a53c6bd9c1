// Runs the benchmark suites in bench/suites/ (all, or those named on the command line), each
// against its named peer in the same run, prints a table and writes bench/results/latest.json.
//   npm run bench                     every suite
//   npm run bench -- NAME [NAME...]   suites by name (`tftp-lockstep`) or by file (`tftp`)
//   npm run bench -- --table          the table of the committed bench/results/latest.json
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDebianPackages } from './lib/debian-packages.js';
import { machineInfo, snapshot } from './lib/machine.js';
import { measure } from './lib/measure.js';
import { formatTable, tableFromFile, writeResults } from './lib/report.js';
import type { BenchSuite, Stats, SuiteResult } from './lib/types.js';
import { withCpuProfile } from './lib/cpu-profile.js';

const suitesDir = join(import.meta.dirname, 'suites');
const PROFILE_DIR = process.env.KILN_BENCH_PROFILE;
// Profiled figures are not the published ones: they go next to the profiles.
const resultsPath =
  PROFILE_DIR === undefined
    ? join(import.meta.dirname, 'results', 'latest.json')
    : join(PROFILE_DIR, 'results.json');

function isSuite(value: unknown): value is BenchSuite {
  const v = value as Partial<BenchSuite> | undefined;
  return (
    typeof v?.name === 'string' && typeof v.setup === 'function' && typeof v.kiln === 'function'
  );
}

/** Every BenchSuite a module exports: default, named, or inside exported arrays. */
function suitesOf(mod: Record<string, unknown>): BenchSuite[] {
  const found: BenchSuite[] = [];
  const values = [
    mod.default,
    ...Object.entries(mod)
      .filter(([k]) => k !== 'default')
      .map(([, v]) => v),
  ];
  for (const value of values) {
    for (const candidate of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (isSuite(candidate) && !found.includes(candidate)) found.push(candidate);
    }
  }
  return found;
}

async function loadSuites(only: readonly string[]): Promise<BenchSuite[]> {
  const files = (await readdir(suitesDir)).filter((f) => f.endsWith('.ts')).sort();
  const suites: BenchSuite[] = [];
  for (const file of files) {
    const base = file.slice(0, -3);
    const mod = (await import(pathToFileURL(join(suitesDir, file)).href)) as Record<
      string,
      unknown
    >;
    const inFile = suitesOf(mod);
    if (inFile.length === 0)
      console.error(`[bench] ${file} exports no BenchSuite; run it standalone`);
    for (const suite of inFile) {
      if (only.length === 0 || only.includes(base) || only.includes(suite.name)) suites.push(suite);
    }
  }
  const unknown = only.filter(
    (n) => !suites.some((s) => s.name === n) && !files.includes(`${n}.ts`),
  );
  if (unknown.length > 0) throw new Error(`no suite named ${unknown.join(', ')}`);
  return suites;
}

async function runSuite(suite: BenchSuite): Promise<SuiteResult> {
  const warmup = suite.warmup ?? 2;
  const repeats = suite.repeats ?? 7;
  console.error(`[${suite.name}] setting up`);
  const state = await suite.setup();
  try {
    console.error(`[${suite.name}] kiln: ${warmup} warm-up + ${repeats} timed runs`);
    const timed = (): Promise<Stats> => measure(() => suite.kiln(state), warmup, repeats);
    // KILN_BENCH_PROFILE=<dir>: the Kiln side's timed runs under the CPU profiler (in-process suites)
    const kiln =
      PROFILE_DIR === undefined
        ? await timed()
        : await withCpuProfile(PROFILE_DIR, `${suite.name}-kiln`, timed);
    const peer = suite.peer;
    let peerStats;
    if (peer !== undefined) {
      console.error(`[${suite.name}] ${peer.name}: ${warmup} warm-up + ${repeats} timed runs`);
      peerStats = await measure(() => peer.run(state), warmup, repeats);
    }
    const details = suite.details?.(state);
    return {
      name: suite.name,
      description: suite.description,
      units: 'ms',
      kiln,
      ...(peer === undefined || peerStats === undefined
        ? {}
        : { peer: { name: peer.name, ...peerStats }, ratio: kiln.median / peerStats.median }),
      ...(details === undefined ? {} : { details }),
    };
  } finally {
    await suite.teardown?.(state);
  }
}

const args = process.argv.slice(2);
if (args.includes('--table')) {
  console.log(await tableFromFile(resultsPath));
} else {
  const machine = machineInfo();
  const suites = await loadSuites(args);
  const installed: string[] = [];
  for (const suite of suites) {
    installed.push(...(await ensureDebianPackages(suite.debianPackages ?? {})));
  }
  if (installed.length > 0)
    console.error(`[bench] installed Debian packages: ${installed.join(' ')}`);
  const results: SuiteResult[] = [];
  const failed: string[] = [];
  // One broken suite does not throw away the others' figures; the run still exits non-zero.
  for (const suite of suites) {
    try {
      results.push(await runSuite(suite));
    } catch (error) {
      failed.push(suite.name);
      console.error(`[${suite.name}] failed:`, error);
    }
  }
  machine.end = snapshot();
  console.log(formatTable(results));
  await writeResults(resultsPath, results, machine, installed);
  if (failed.length > 0) {
    console.error(`[bench] failed suites: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}
