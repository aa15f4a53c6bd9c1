import { statSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/index.js';
import { isSha256, type ImageStore } from './image-store.js';
import { knownFiles, type KnownFile } from './file-syncs.js';

export interface ReconcileResult {
  /** Entries removed because no resource references them. */
  readonly removed: string[];
  /** Known files this region lacks (absent or wrong size); they will be downloaded. */
  readonly missing: string[];
  /** Files present with the right size (record created or confirmed). */
  readonly present: number;
}

/** Directories the store keeps whatever the database says. */
// maas-migration: verified copies from `kiln migrate-from-maas` waiting for its commit.
const KEPT = new Set(['bootloaders', 'quarantine', 'custom', 'lost+found', 'maas-migration']);

function partialOwner(name: string): string | null {
  const m = /^([0-9a-f]{64})(?:\.validator)?\.partial$/.exec(name);
  return m?.[1] ?? null;
}

// Sizes come from synchronous stats in slices, yielding to the event loop between slices (the
// region is already listening): on a warm inode cache a slice of 256 takes well under a
// millisecond, where one awaited `fs.promises.stat` per file cost a thread-pool hand-off and a
// promise each (10,000 files took ~6x as long as `find`). A slice that takes longer than
// SLOW_SLICE_MS means the stats are going to the disk (cold cache): the rest are then done
// asynchronously, STAT_CONCURRENCY at a time, so a slow disk never blocks requests for long.
const SLICE = 256;
const SLOW_SLICE_MS = 20;
const STAT_CONCURRENCY = 64;
// sha256s per bulk statement: well under SQLite's and PostgreSQL's bound-parameter limits.
const BATCH = 500;

function sizeNow(path: string): number | null {
  try {
    return statSync(path, { throwIfNoEntry: false })?.size ?? null;
  } catch {
    return null;
  }
}

/** The size of each file (null when absent), in order. */
async function sizesOf(paths: readonly string[]): Promise<(number | null)[]> {
  const sizes = new Array<number | null>(paths.length).fill(null);
  let next = 0;
  while (next < paths.length) {
    const started = performance.now();
    const end = Math.min(paths.length, next + SLICE);
    for (; next < end; next++) sizes[next] = sizeNow(paths[next] ?? '');
    if (performance.now() - started > SLOW_SLICE_MS) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const worker = async (): Promise<void> => {
    for (let i = next++; i < paths.length; i = next++) {
      sizes[i] = (await stat(paths[i] ?? '').catch(() => null))?.size ?? null;
    }
  };
  await Promise.all(Array.from({ length: STAT_CONCURRENCY }, worker));
  return sizes;
}

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

/**
 * The sync-record changes of one reconciliation in one transaction and a statement per
 * `BATCH` files (the first start after an import confirms every file: 10,000 upserts one by one
 * took seconds). Confirmed files get this region's record at their full size on every row
 * sharing their sha256; lost files lose this region's records.
 */
async function writeSyncRecords(
  db: Kysely<Database>,
  regionId: string,
  confirmed: readonly KnownFile[],
  lost: readonly KnownFile[],
): Promise<void> {
  if (confirmed.length === 0 && lost.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const chunk of batches(confirmed.map((f) => f.sha256))) {
      await trx
        .insertInto('boot_resource_file_syncs')
        .columns(['file_id', 'region_id', 'size'])
        .expression((eb) =>
          eb
            .selectFrom('boot_resource_files')
            .select(['id', sql<string>`cast(${regionId} as text)`.as('region_id'), 'size'])
            .where('sha256', 'in', chunk),
        )
        .onConflict((oc) =>
          oc
            .columns(['file_id', 'region_id'])
            .doUpdateSet((eb) => ({ size: eb.ref('excluded.size') })),
        )
        .execute();
    }
    for (const chunk of batches(lost.map((f) => f.sha256))) {
      await trx
        .deleteFrom('boot_resource_file_syncs')
        .where('region_id', '=', regionId)
        .where('file_id', 'in', (eb) =>
          eb.selectFrom('boot_resource_files').select('id').where('sha256', 'in', chunk),
        )
        .execute();
    }
  });
}

/**
 * Start-up reconciliation (spec §3.2), by `stat` only: a known file present with its full size
 * gets this region's sync record; a known file absent or of the wrong size loses it (the wrong
 * bytes are deleted) so the next import fetches it; anything no resource references is removed,
 * except the kept directories and the `.partial` files of known files (kept for Range resume).
 */
export async function reconcileStore(
  db: Kysely<Database>,
  store: ImageStore,
  regionId: string,
  logger: Logger,
): Promise<ReconcileResult> {
  const known = new Map((await knownFiles(db, regionId)).map((f) => [f.sha256, f]));
  const removed: string[] = [];
  const missing: string[] = [];
  let present = 0;
  for (const name of await store.entries()) {
    if (KEPT.has(name)) continue;
    if (isSha256(name) && known.has(name)) continue;
    const owner = partialOwner(name);
    if (owner !== null && known.has(owner)) continue;
    await rm(join(store.root, name), { recursive: true, force: true });
    removed.push(name);
  }
  const files = [...known.values()];
  const sizes = await sizesOf(files.map((f) => store.pathFor(f.sha256)));
  const confirmed: KnownFile[] = [];
  const lost: KnownFile[] = [];
  for (const [i, file] of files.entries()) {
    const size = sizes[i] ?? null;
    if (size === file.size) {
      present += 1;
      if (file.synced !== file.size) confirmed.push(file);
      continue;
    }
    if (size !== null) await rm(store.pathFor(file.sha256), { force: true });
    missing.push(file.sha256);
    if (file.synced !== 0) lost.push(file);
  }
  await writeSyncRecords(db, regionId, confirmed, lost);
  if (removed.length > 0 || missing.length > 0)
    logger.info({ removed, missing: missing.length, present }, 'image store reconciled');
  return { removed, missing, present };
}
