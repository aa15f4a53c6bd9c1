// Multi-region image sync: a generated signed stream imported into a cluster of three `kiln
// region` processes on one PostgreSQL database, against the same import into one region.
//   npm run bench -- multi-region                                 1 GiB stream
//   KILN_BENCH_MULTI_REGION_MB=64 npm run bench -- multi-region   a quick run
// Timed: from the import request to every region reporting every set complete (region start-up
// is not timed). Details: upstream bytes ÷ stream size for each side (goal 1.0 for three regions).
// KILN_BENCH_MULTI_REGION_COUNT (3) is the Kiln side's region count; KILN_BENCH_MULTI_REGION_TIMEOUT_S (1800) bounds the wait for readiness.
// Needs PostgreSQL: KILN_TEST_PG_URL (default postgres://kiln:kiln@127.0.0.1:5432/postgres).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiFetch } from '@kiln/region/testing';
import { createTestDatabase } from '@kiln/testkit';
import { RegionProcess, waitFor } from '../../e2e/multi-region/harness/index.js';
import { startCountingFileServer, type CountingFileServer } from '../lib/counting-file-server.js';
import { writeSignedStream, type BenchFile } from '../lib/generated-stream.js';
import type { BenchSuite } from '../lib/types.js';

interface State {
  readonly work: string;
  readonly files: readonly BenchFile[];
  readonly streamBytes: number;
  readonly keyringPath: string;
  readonly upstream: CountingFileServer;
  /** Upstream bytes ÷ stream size of each timed run, per side. */
  readonly upstreamRatios: { three: number[]; one: number[] };
  runs: number;
}

interface SetJson {
  complete: boolean;
}

async function everySetComplete(url: string, key: string): Promise<boolean> {
  const list = await apiFetch(url, 'boot-resources/', { apiKey: key });
  if (!list.ok) return false;
  const resources = (await list.json()) as { id: number }[];
  if (resources.length === 0) return false;
  for (const { id } of resources) {
    const detail = await apiFetch(url, `boot-resources/${String(id)}/`, { apiKey: key });
    if (!detail.ok) return false;
    const sets = Object.values(((await detail.json()) as { sets: Record<string, SetJson> }).sets);
    if (sets.length === 0 || !sets.every((s) => s.complete)) return false;
  }
  return true;
}

/**
 * One iteration: `count` fresh regions on a fresh database, auto-import off, one import asked of
 * the first region; returns the milliseconds until every region reports every set complete.
 */
async function importInto(state: State, count: number, ratios: number[]): Promise<number> {
  const dir = join(state.work, `run-${String((state.runs += 1))}`);
  const database = await createTestDatabase('postgres');
  const regions = Array.from(
    { length: count },
    (_, i) =>
      new RegionProcess({
        name: `r${String(i + 1)}`,
        dataDir: join(dir, `r${String(i + 1)}`, 'data'),
        databaseUrl: database.url,
        env: {
          KILN_BOOT_SOURCE_URL: state.upstream.url,
          KILN_BOOT_SOURCE_KEYRING: state.keyringPath,
          KILN_LOG_LEVEL: 'warn',
        },
      }),
  );
  try {
    const [first, ...rest] = regions;
    if (first === undefined) throw new Error('no region');
    await first.start();
    const key = first.printedApiKey;
    const off = await apiFetch(first.url, 'maas/?op=set_config', {
      method: 'POST',
      apiKey: key,
      body: new URLSearchParams({ name: 'boot_images_auto_import', value: 'false' }),
    });
    if (!off.ok) throw new Error(`set_config answered ${String(off.status)}`);
    await Promise.all(rest.map((r) => r.start()));
    state.upstream.reset();
    const started = performance.now();
    const response = await apiFetch(first.url, 'boot-resources/?op=import', {
      method: 'POST',
      apiKey: key,
    });
    if (!response.ok) throw new Error(`import answered ${String(response.status)}`);
    const pending = new Set(regions);
    await waitFor(
      `every one of ${String(count)} regions to report every set complete`,
      async () => {
        for (const region of [...pending])
          if (await everySetComplete(region.url, key)) pending.delete(region);
        return pending.size === 0 ? true : undefined;
      },
      {
        timeoutMs: Number(process.env.KILN_BENCH_MULTI_REGION_TIMEOUT_S ?? '1800') * 1000,
        intervalMs: 100,
        describe: () => `not ready: ${[...pending].map((r) => r.name).join(', ')}`,
      },
    );
    const ms = performance.now() - started;
    const blobBytes = [...state.upstream.sent.entries()]
      .filter(([path]) => path.includes('/blobs/') || !path.includes('/streams/'))
      .reduce((sum, [, bytes]) => sum + bytes, 0);
    ratios.push(blobBytes / state.streamBytes);
    return ms;
  } finally {
    await Promise.all(regions.map((r) => r.stop()));
    await database.drop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

const suite: BenchSuite<State> = {
  name: 'multi-region',
  description:
    'import of a generated signed stream until every region of three is ready vs the same import into one region',
  warmup: 0,
  repeats: 3,
  async setup() {
    process.env.KILN_TEST_PG_URL ??= 'postgres://kiln:kiln@127.0.0.1:5432/postgres';
    const total = Number(process.env.KILN_BENCH_MULTI_REGION_MB ?? '1024') * 1024 * 1024;
    const work = await mkdtemp(join(tmpdir(), 'kiln-bench-multi-region-'));
    const { files, keyringPath } = await writeSignedStream(work, total);
    const upstream = await startCountingFileServer(join(work, 'www'));
    const streamBytes = files.reduce((n, f) => n + f.size, 0);
    console.error(
      `[multi-region] ${(streamBytes / 1024 / 1024).toFixed(0)} MiB in ${String(files.length)} files from ${upstream.url}`,
    );
    return {
      work,
      files,
      streamBytes,
      keyringPath,
      upstream,
      upstreamRatios: { three: [], one: [] },
      runs: 0,
    };
  },
  kiln: (state) =>
    importInto(
      state,
      Number(process.env.KILN_BENCH_MULTI_REGION_COUNT ?? '3'),
      state.upstreamRatios.three,
    ),
  peer: {
    name: 'one region',
    run: (state) => importInto(state, 1, state.upstreamRatios.one),
  },
  details(state) {
    return {
      files: state.files.length,
      streamBytes: state.streamBytes,
      upstreamBytesRatioThreeRegions: state.upstreamRatios.three,
      upstreamBytesRatioOneRegion: state.upstreamRatios.one,
    };
  },
  async teardown(state) {
    await state.upstream.close();
    await rm(state.work, { recursive: true, force: true });
  },
};

export default suite;
