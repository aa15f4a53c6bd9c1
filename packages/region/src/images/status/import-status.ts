import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { IMPORT_LOCK, lockState } from '../importer/import-lock.js';
import type { ImageStore } from '../store/image-store.js';
import { fileSyncViews } from '../store/set-completeness.js';
import { RESOURCE_TYPE_NAME } from '../store/tables.js';

export interface ResourceStatus {
  readonly id: number;
  readonly type: string;
  readonly name: string;
  readonly architecture: string;
  readonly version: string | null;
  readonly size: number;
  readonly done: number;
  readonly percent: number;
  readonly complete: boolean;
}

export interface ImportStatus {
  readonly importing: boolean;
  readonly totalBytes: number;
  readonly doneBytes: number;
  readonly percent: number;
  readonly resources: readonly ResourceStatus[];
}

const pct = (done: number, total: number): number =>
  total === 0 ? 100 : Math.floor((1000 * done) / total) / 10;

/**
 * What this region holds of each resource's newest set, from the database and a `stat` of the
 * store: complete files count in full, files being fetched count their `.partial` bytes. Works
 * from any process (the `kiln images watch` command reads it while the region imports).
 */
export async function importStatus(
  db: Kysely<Database>,
  store: ImageStore,
  regionId: string,
): Promise<ImportStatus> {
  const resources = await db
    .selectFrom('boot_resources')
    .selectAll()
    .orderBy('name')
    .orderBy('architecture')
    .execute();
  const sets = await db.selectFrom('boot_resource_sets').selectAll().execute();
  const newest = new Map<number, (typeof sets)[number]>();
  for (const set of sets) {
    const seen = newest.get(set.resource_id);
    if (seen === undefined || seen.version < set.version) newest.set(set.resource_id, set);
  }
  const setIds = [...newest.values()].map((s) => s.id);
  const views = await fileSyncViews(db, regionId, setIds);
  const files =
    setIds.length === 0
      ? []
      : await db
          .selectFrom('boot_resource_files')
          .select(['id', 'sha256'])
          .where('set_id', 'in', setIds)
          .execute();
  const shaOf = new Map(files.map((f) => [f.id, f.sha256]));
  const out: ResourceStatus[] = [];
  let total = 0;
  let done = 0;
  for (const r of resources) {
    const set = newest.get(r.id);
    let size = 0;
    let have = 0;
    for (const view of views.filter((v) => v.setId === set?.id)) {
      const sha = shaOf.get(view.fileId);
      size += view.size;
      if (view.local >= view.size) have += view.size;
      else if (sha !== undefined) have += Math.min(view.size, await store.partialSize(sha));
    }
    total += size;
    done += have;
    out.push({
      id: r.id,
      type: RESOURCE_TYPE_NAME[r.type] ?? 'Synced',
      name: r.name,
      architecture: r.architecture,
      version: set?.version ?? null,
      size,
      done: have,
      percent: pct(have, size),
      complete: size > 0 && have === size,
    });
  }
  const importing = (await lockState(db, IMPORT_LOCK)) !== null;
  return {
    importing,
    totalBytes: total,
    doneBytes: done,
    percent: pct(done, total),
    resources: out,
  };
}
