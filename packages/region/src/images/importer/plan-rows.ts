import type { Kysely } from 'kysely';
import type { BootResource } from '@kiln/simplestreams';
import { nowIso, type Database } from '../../db/index.js';
import { RESOURCE_TYPE } from '../store/tables.js';

/** One distinct file (by sha256) the import must have, with where to fetch it. */
export interface WantedFile {
  readonly sha256: string;
  readonly size: number;
  readonly sourceId: number;
  readonly sourceUrl: string;
  readonly root: URL;
  readonly path: string;
  readonly filename: string;
  readonly filetype: string;
  /** Set for bootloader archives: unpack to bootloaders/<type>/<arch>/. */
  readonly bootloader?: { readonly type: string; readonly arch: string };
}

export interface PlannedResource {
  readonly resource: BootResource;
  readonly sourceId: number;
  readonly sourceUrl: string;
  readonly root: URL;
}

/**
 * Creates or updates the resource → set → file rows of everything wanted, in one transaction,
 * so the API shows the import's full extent (with 0 % progress) before any byte moves. Returns
 * the ids of the wanted resources and the distinct files, earlier sources first.
 */
export async function planRows(
  db: Kysely<Database>,
  planned: readonly PlannedResource[],
): Promise<{ resourceIds: number[]; files: WantedFile[] }> {
  const now = nowIso();
  const resourceIds: number[] = [];
  const files = new Map<string, WantedFile>();
  await db.transaction().execute(async (trx) => {
    for (const { resource: r, sourceId, sourceUrl, root } of planned) {
      const extra = JSON.stringify({
        subarches: r.subarches.join(','),
        title: r.releaseTitle ?? '',
        ...(r.kflavor === '' ? {} : { kflavor: r.kflavor }),
      });
      const existing = await trx
        .selectFrom('boot_resources')
        .select(['id', 'type'])
        .where('name', '=', r.name)
        .where('architecture', '=', r.architecture)
        .executeTakeFirst();
      let resourceId: number;
      if (existing === undefined) {
        const row = await trx
          .insertInto('boot_resources')
          .values({
            type: RESOURCE_TYPE.synced,
            name: r.name,
            architecture: r.architecture,
            alias: r.alias ?? '',
            bootloader_type: r.bootloaderType ?? null,
            extra,
            created: now,
            updated: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        resourceId = row.id;
      } else {
        // An uploaded image of the same name is the operator's: never overwrite it with a stream one.
        if (existing.type !== RESOURCE_TYPE.synced) continue;
        resourceId = existing.id;
        await trx
          .updateTable('boot_resources')
          .set({ alias: r.alias ?? '', extra, updated: now })
          .where('id', '=', resourceId)
          .execute();
      }
      resourceIds.push(resourceId);
      let set = await trx
        .selectFrom('boot_resource_sets')
        .select('id')
        .where('resource_id', '=', resourceId)
        .where('version', '=', r.version)
        .executeTakeFirst();
      set ??= await trx
        .insertInto('boot_resource_sets')
        .values({ resource_id: resourceId, version: r.version, label: r.label, created: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const f of r.files) {
        const present = await trx
          .selectFrom('boot_resource_files')
          .select('id')
          .where('set_id', '=', set.id)
          .where('filename', '=', f.filename)
          .executeTakeFirst();
        if (present === undefined) {
          await trx
            .insertInto('boot_resource_files')
            .values({
              set_id: set.id,
              filename: f.filename,
              filetype: f.ftype,
              sha256: f.sha256,
              size: f.size,
              source_id: sourceId,
              source_path: f.path,
              created: now,
            })
            .execute();
        }
        if (files.has(f.sha256)) continue;
        files.set(f.sha256, {
          sha256: f.sha256,
          size: f.size,
          sourceId,
          sourceUrl,
          root,
          path: f.path,
          filename: f.filename,
          filetype: f.ftype,
          ...(r.bootloaderType !== undefined && f.kind === 'bootloader-archive'
            ? { bootloader: { type: r.bootloaderType, arch: r.arch } }
            : {}),
        });
      }
    }
  });
  return { resourceIds, files: [...files.values()] };
}
