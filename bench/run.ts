// Runs the benchmark suites in bench/suites/ (all, or the one named on the command line), each
// against its named peer in the same run, prints a table and writes bench/results/latest.json.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measure } from './lib/measure.js';
import { printTable, writeResults } from './lib/report.js';
import type { BenchSuite, SuiteResult } from './lib/types.js';

const suitesDir = join(import.meta.dirname, 'suites');

function isSuite(value: unknown): value is BenchSuite {
  const v = value as Partial<BenchSuite> | undefined;
  return (
    typeof v?.name === 'string' && typeof v.setup === 'function' && typeof v.kiln === 'function'
  );
}

/** Suites are the files of bench/suites/ whose default export is a BenchSuite; NAME picks `<NAME>.ts`. */
async function loadSuites(only: string | undefined): Promise<BenchSuite[]> {
  const files = (await readdir(suitesDir))
    .filter((f) => f.endsWith('.ts') && (only === undefined || f === `${only}.ts`))
    .sort();
  const suites: BenchSuite[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(suitesDir, file)).href)) as { default?: unknown };
    if (isSuite(mod.default)) suites.push(mod.default);
    else console.error(`[bench] ${file} has no default BenchSuite export; run it standalone`);
  }
  if (only !== undefined && suites.length === 0) throw new Error(`no suite named ${only}`);
  return suites;
}

async function runSuite(suite: BenchSuite): Promise<SuiteResult> {
  const warmup = suite.warmup ?? 2;
  const repeats = suite.repeats ?? 7;
  console.error(`[${suite.name}] setting up`);
  const state = await suite.setup();
  try {
    console.error(`[${suite.name}] kiln: ${warmup} warm-up + ${repeats} timed runs`);
    const kiln = await measure(() => suite.kiln(state), warmup, repeats);
    const peer = suite.peer;
    if (peer === undefined)
      return { name: suite.name, description: suite.description, units: 'ms', kiln };
    console.error(`[${suite.name}] ${peer.name}: ${warmup} warm-up + ${repeats} timed runs`);
    const peerStats = await measure(() => peer.run(state), warmup, repeats);
    return {
      name: suite.name,
      description: suite.description,
      units: 'ms',
      kiln,
      peer: { name: peer.name, ...peerStats },
      ratio: kiln.median / peerStats.median,
    };
  } finally {
    await suite.teardown?.(state);
  }
}

const results: SuiteResult[] = [];
for (const suite of await loadSuites(process.argv[2])) results.push(await runSuite(suite));
printTable(results);
await writeResults(join(import.meta.dirname, 'results', 'latest.json'), results);
