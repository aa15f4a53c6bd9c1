import type { Kysely } from 'kysely';
import type { BootResource } from '@kiln/simplestreams';
import { nowIso, type Database } from '../../db/index.js';
import '../store/tables.js';

/**
 * Replaces the cache of what one boot source offers (spec §1.7 BootSourceCache): one row per
 * subarch each image serves, bootloaders with release = bootloader type. Selections are
 * validated against it and the UI lists it.
 */
export async function refreshSourceCache(
  db: Kysely<Database>,
  sourceId: number,
  resources: readonly BootResource[],
): Promise<number> {
  const created = nowIso();
  const rows = cacheRowsOf(resources, created).map((row) => ({
    boot_source_id: sourceId,
    os: row.os,
    arch: row.arch,
    subarch: row.subarch,
    release: row.release,
    label: row.label,
    kflavor: row.kflavor,
    bootloader_type: row.bootloaderType,
    release_title: row.releaseTitle,
    release_codename: row.releaseCodename,
    support_eol: row.supportEol,
    created,
  }));
  memoFor(db).delete(sourceId);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('boot_source_cache').where('boot_source_id', '=', sourceId).execute();
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto('boot_source_cache')
        .values(rows.slice(i, i + 200))
        .execute();
  });
  memoFor(db).set(sourceId, await listSourceCache(db, sourceId));
  return rows.length;
}

/**
 * One cache row per subarch each resource serves; bootloaders carry their type as the release.
 * Also what a read of an unsaved source (Connect in the UI) is shown as, without being stored.
 */
export function cacheRowsOf(
  resources: readonly BootResource[],
  created: string,
): (CachedImage & { readonly kflavor: string })[] {
  return resources.flatMap((r) =>
    [...new Set([r.subarch, ...r.subarches])].map((subarch) => ({
      os: r.os,
      arch: r.arch,
      subarch,
      release: r.bootloaderType ?? r.release,
      label: r.label,
      kflavor: r.bootloaderType === undefined ? r.kflavor : 'bootloader',
      bootloaderType: r.bootloaderType ?? null,
      releaseTitle: r.releaseTitle ?? '',
      releaseCodename: r.releaseCodename ?? '',
      supportEol: r.supportEol ?? null,
      created,
    })),
  );
}

const memos = new WeakMap<Kysely<Database>, Map<number, CachedImage[]>>();

function memoFor(db: Kysely<Database>): Map<number, CachedImage[]> {
  let memo = memos.get(db);
  if (memo === undefined) {
    memo = new Map();
    memos.set(db, memo);
  }
  return memo;
}

/**
 * The cache of one source as last read or written by this process. Selection validation runs
 * inside the selection's transaction, and on SQLite that transaction holds the only connection:
 * querying there would wait on itself, so the validator reads this copy instead.
 */
export function memoizedSourceCache(
  db: Kysely<Database>,
  sourceId: number,
): CachedImage[] | undefined {
  return memoFor(db).get(sourceId);
}

/** Loads every source's cache into the in-process copy (at start-up). */
export async function primeSourceCache(db: Kysely<Database>): Promise<void> {
  const memo = memoFor(db);
  const rows = await db
    .selectFrom('boot_source_cache')
    .select('boot_source_id')
    .distinct()
    .execute();
  const sources = await db.selectFrom('boot_sources').select('id').execute();
  for (const { id } of sources) memo.set(id, []);
  for (const { boot_source_id: id } of rows) memo.set(id, await listSourceCache(db, id));
}

export interface CachedImage {
  readonly os: string;
  readonly arch: string;
  readonly subarch: string;
  readonly release: string;
  readonly label: string;
  readonly bootloaderType: string | null;
  readonly releaseTitle: string;
  readonly releaseCodename: string;
  readonly supportEol: string | null;
  /** When the source was read (ISO datetime of the refresh that wrote the row). */
  readonly created: string;
}

export async function listSourceCache(
  db: Kysely<Database>,
  sourceId?: number,
): Promise<CachedImage[]> {
  let query = db.selectFrom('boot_source_cache').selectAll();
  if (sourceId !== undefined) query = query.where('boot_source_id', '=', sourceId);
  const rows = await query.orderBy('id').execute();
  return rows.map((r) => ({
    os: r.os,
    arch: r.arch,
    subarch: r.subarch,
    release: r.release,
    label: r.label,
    bootloaderType: r.bootloader_type,
    releaseTitle: r.release_title,
    releaseCodename: r.release_codename,
    supportEol: r.support_eol,
    created: r.created,
  }));
}
