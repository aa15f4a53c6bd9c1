import type { Kysely } from 'kysely';
import { API_PREFIX } from '../../api/handler-types.js';
import { readJsonObject, type Database } from '../../db/index.js';
import type { ImportProgress } from '../importer/import-progress.js';
import {
  fileSyncViews,
  isFileComplete,
  regionCount,
  requiredRegionCount,
} from '../store/set-completeness.js';
import { RESOURCE_TYPE, RESOURCE_TYPE_NAME, type BootResourceRow } from '../store/tables.js';

function round(value: number): number {
  return Math.floor(value * 10) / 10;
}

/** The list form (no sets): MAAS's fields plus everything in the resource's `extra`. */
export function resourceSummary(row: BootResourceRow): Record<string, unknown> {
  return {
    id: row.id,
    type: RESOURCE_TYPE_NAME[row.type] ?? 'Synced',
    name: row.name,
    architecture: row.architecture,
    resource_uri: `${API_PREFIX}boot-resources/${row.id}/`,
    last_deployed: null,
    ...readJsonObject(row.extra),
    ...(row.type === RESOURCE_TYPE.uploaded ? { base_image: row.base_image } : {}),
  };
}

/**
 * The detail form: `sets` keyed by version, newest first, each with `files` keyed by filename.
 * `complete`/`progress` are cluster-wide (spec §3.4); `received` is the bytes this region holds
 * of an upload (the CLI resumes from it) and, while this region downloads a file, its progress
 * counts the bytes in flight.
 */
export async function resourceDetail(
  db: Kysely<Database>,
  regionId: string,
  row: BootResourceRow,
  progress: ImportProgress | null,
  partialBytes: (sha256: string) => Promise<number>,
): Promise<Record<string, unknown>> {
  const sets = await db
    .selectFrom('boot_resource_sets')
    .selectAll()
    .where('resource_id', '=', row.id)
    .execute();
  sets.sort((a, b) => (a.version < b.version ? 1 : a.version > b.version ? -1 : 0));
  const setIds = sets.map((s) => s.id);
  const files =
    setIds.length === 0
      ? []
      : await db
          .selectFrom('boot_resource_files')
          .selectAll()
          .where('set_id', 'in', setIds)
          .orderBy('id')
          .execute();
  const views = new Map((await fileSyncViews(db, regionId, setIds)).map((v) => [v.fileId, v]));
  const regions = await regionCount(db);
  const required = await requiredRegionCount(db);
  const out: Record<string, unknown> = {};
  for (const set of sets) {
    const entries: Record<string, unknown> = {};
    let size = 0;
    let synced = 0;
    for (const file of files.filter((f) => f.set_id === set.id)) {
      const view = views.get(file.id);
      const fileSize = file.size;
      const complete = view !== undefined && isFileComplete(view, required);
      let local = view?.local ?? 0;
      if (!complete && local < fileSize) {
        const inFlight =
          row.type === RESOURCE_TYPE.uploaded
            ? await partialBytes(file.sha256)
            : (progress?.fileDone(file.sha256) ?? 0);
        local = Math.max(local, inFlight);
      }
      const total = Math.min(
        fileSize * regions,
        Math.max(0, (view?.synced ?? 0) - (view?.local ?? 0)) + local,
      );
      size += fileSize;
      synced += total;
      entries[file.filename] = {
        filename: file.filename,
        filetype: file.filetype,
        sha256: file.sha256,
        filename_on_disk: file.sha256,
        size: fileSize,
        complete,
        received: local,
        ...(complete
          ? {}
          : { progress: fileSize === 0 ? 0 : round((100 * total) / (fileSize * regions)) }),
        ...(!complete && row.type === RESOURCE_TYPE.uploaded
          ? { upload_uri: `${API_PREFIX}boot-resources/${row.id}/upload/${file.id}/` }
          : {}),
      };
    }
    const complete =
      Object.values(entries).every((e) => (e as { complete: boolean }).complete) && size > 0;
    out[set.version] = {
      version: set.version,
      label: set.label,
      size,
      complete,
      ...(complete ? {} : { progress: size === 0 ? 0 : round((100 * synced) / (size * regions)) }),
      files: entries,
    };
  }
  return { ...resourceSummary(row), sets: out };
}
