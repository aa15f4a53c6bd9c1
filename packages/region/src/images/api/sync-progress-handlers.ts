import type { HandlerDeclaration } from '../../api/index.js';
import { json } from '../../api/index.js';
import type { ImageContext } from '../image-context.js';

/**
 * Spec §2.13 `images-sync-progress/` (hidden, admin): files complete on at least one region and
 * which regions hold them. Plus Kiln's `image-import-progress/`: the live import on this region
 * (bytes, per file, rate), which `kiln images watch` polls.
 */
export const imagesSyncProgressHandler: HandlerDeclaration<ImageContext> = {
  name: 'ImagesSyncProgressHandler',
  doc: 'Internal endpoint: per-region sync state of boot resource files.',
  path: 'images-sync-progress/',
  access: 'auth',
  admin: true,
  hidden: true,
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Files complete on at least one region, with the regions that hold them.',
      run: async ({ region }) => {
        const rows = await region.db
          .selectFrom('boot_resource_files as f')
          .innerJoin('boot_resource_file_syncs as s', 's.file_id', 'f.id')
          .select(['f.id', 'f.sha256', 'f.size', 's.region_id', 's.size as synced'])
          .execute();
        const out: Record<
          string,
          { sha256: string; filename_on_disk: string; size: number; sources: string[] }
        > = {};
        for (const row of rows) {
          if (row.synced !== row.size) continue;
          const entry = (out[String(row.id)] ??= {
            sha256: row.sha256,
            filename_on_disk: row.sha256,
            size: row.size,
            sources: [],
          });
          entry.sources.push(row.region_id);
        }
        return json(out);
      },
    },
  ],
};

export const imageImportProgressHandler: HandlerDeclaration<ImageContext> = {
  name: 'ImageImportProgressHandler',
  doc: 'Live progress of the image import running on this region.',
  path: 'image-import-progress/',
  access: 'auth',
  hidden: true,
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Phase, bytes done of total, percent, rate (bytes/s) and per-file bytes of the running import.',
      run: async ({ region }) => {
        const service = region.images;
        return json({ importing: await service.isImporting(), ...service.progress.snapshot() });
      },
    },
  ],
};
