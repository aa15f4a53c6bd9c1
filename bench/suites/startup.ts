/**
 * Region start-up reconciliation of the image store (spec §3.2): 10,000 files on disk, each
 * referenced by a boot resource file row, checked by `reconcileStore` (stat per file, sync
 * records confirmed, strays removed) against `find image-storage -printf '%s\n'` on the same
 * directory: the floor for "look at every file's size". The first reconcile (which writes
 * 10,000 sync records) is a warm-up; timed runs are restarts with the records already right,
 * and the first run's time is kept in the details. KILN_BENCH_STARTUP_FILES overrides 10,000.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImageStore, openRegionDatabase, reconcileStore, type RegionDatabase } from '@kiln/region';
import { pino } from 'pino';
import type { BenchSuite } from '../lib/types.js';

const run = promisify(execFile);
const FILES = Number(process.env.KILN_BENCH_STARTUP_FILES ?? 10_000);
const REGION_ID = 'bench-region';

interface StartupState {
  readonly dir: string;
  readonly database: RegionDatabase;
  readonly store: ImageStore;
  firstRunMs?: number;
}

async function seed(database: RegionDatabase, store: ImageStore): Promise<void> {
  const now = new Date().toISOString();
  const db = database.db;
  const resource = await db
    .insertInto('boot_resources')
    .values({
      type: 0,
      name: 'ubuntu/noble',
      architecture: 'amd64/generic',
      created: now,
      updated: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const set = await db
    .insertInto('boot_resource_sets')
    .values({ resource_id: resource.id, version: '20261122', label: 'stable', created: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows: {
    set_id: number;
    filename: string;
    filetype: string;
    sha256: string;
    size: number;
    created: string;
  }[] = [];
  for (let i = 0; i < FILES; i++) {
    // 1-4 KiB each: the figure is about per-file work (stat, records), not bytes.
    const data = randomBytes(1024 + (i % 4) * 1024);
    const sha256 = createHash('sha256').update(data).digest('hex');
    await writeFile(store.pathFor(sha256), data);
    rows.push({
      set_id: set.id,
      filename: `file-${i}`,
      filetype: 'archive.tar.xz',
      sha256,
      size: data.length,
      created: now,
    });
  }
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('boot_resource_files')
        .values(rows.slice(i, i + 500))
        .execute();
  });
}

const suite: BenchSuite<StartupState> = {
  name: 'startup',
  description: `region start-up reconciliation of an image store of ${FILES} files (SQLite)`,
  warmup: 1,
  repeats: 7,
  debianPackages: { find: 'findutils' },
  async setup() {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-bench-startup-'));
    const database = await openRegionDatabase({ databaseUrl: `sqlite:${join(dir, 'kiln.db')}` });
    const store = new ImageStore(dir);
    await store.ensure();
    await seed(database, store);
    return { dir, database, store };
  },
  async kiln(state) {
    const start = performance.now();
    const result = await reconcileStore(
      state.database.db,
      state.store,
      REGION_ID,
      pino({ level: 'silent' }),
    );
    state.firstRunMs ??= performance.now() - start;
    if (result.present !== FILES || result.removed.length > 0 || result.missing.length > 0)
      throw new Error(
        `reconcile saw ${result.present} of ${FILES} files (${result.removed.length} removed, ${result.missing.length} missing)`,
      );
  },
  peer: {
    name: 'find',
    async run(state) {
      const { stdout } = await run('find', [state.store.root, '-printf', '%s\\n'], {
        maxBuffer: 64 << 20,
      });
      const lines = stdout.split('\n').length - 1;
      if (lines !== FILES + 1)
        throw new Error(`find listed ${lines} entries, expected ${FILES + 1}`);
    },
  },
  details: (state) => ({ files: FILES, firstReconcileMs: state.firstRunMs }),
  async teardown(state) {
    await state.database.close();
    await rm(state.dir, { recursive: true, force: true });
  },
};

export default suite;
