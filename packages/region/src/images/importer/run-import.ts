import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { filterBySelections, mergeSources, type BootResource } from '@kiln/simplestreams';
import { listBootSources, listSelections } from '../../boot-sources/index.js';
import type { Database } from '../../db/index.js';
import { recordEvent } from '../../events/index.js';
import { refreshSourceCache } from '../cache/source-cache.js';
import { completeOnRegion, setSyncedSize } from '../store/file-syncs.js';
import type { ImageStore } from '../store/image-store.js';
import { checkDiskSpace } from './disk-check.js';
import { downloadFiles, unpackIfBootloader } from './download-files.js';
import { transferFiles, type ClusterTransfers } from './sync-files.js';
import { finalizeImport } from './finalize.js';
import { dropFailedManifests } from './manifest-files.js';
import type { ImportMetrics } from './import-metrics.js';
import type { ImportProgress } from './import-progress.js';
import { planRows, type PlannedResource } from './plan-rows.js';
import { readSources } from './read-sources.js';

export interface ImportRunContext {
  readonly db: Kysely<Database>;
  readonly store: ImageStore;
  readonly regionId: string;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly progress: ImportProgress;
  readonly metrics: ImportMetrics;
  readonly concurrency: number;
  readonly retries: number;
  readonly diskMarginBytes: number;
  /** The cluster's transfer jobs; without them this region downloads everything itself. */
  readonly sync?: ClusterTransfers | undefined;
}

export type ImportOutcome =
  | {
      readonly kind: 'done';
      readonly downloaded: number;
      readonly failed: number;
      readonly files: number;
    }
  | { readonly kind: 'no-space'; readonly needed: number; readonly free: number }
  | { readonly kind: 'no-sources' };

/** Steps of one import (spec §3.3), run while holding the import lock. */
export async function runImport(ctx: ImportRunContext): Promise<ImportOutcome> {
  const { db, store, regionId, logger, signal, progress } = ctx;
  await store.ensure();
  const { images, failures } = await readSources(db, logger, signal);
  for (const failure of failures) {
    logger.error(
      { source: failure.source.url, err: failure.error },
      `cannot read boot source ${failure.source.url}: ${(failure.error as Error).message}`,
    );
    await recordEvent(db, {
      type: 'Image import error',
      level: 'ERROR',
      description: `Failed to read boot source ${failure.source.url}: ${(failure.error as Error).message}`,
    });
  }
  if (images.length === 0) return { kind: 'no-sources' };
  progress.phase('planning');
  const origin = new Map<BootResource, PlannedResource>();
  const perSource: BootResource[][] = [];
  const sourceCount = (await listBootSources(db)).length;
  for (const { source, root, resources } of images) {
    await refreshSourceCache(db, source.id, resources);
    const selected = filterBySelections(resources, await listSelections(db, source.id));
    for (const resource of selected)
      origin.set(resource, { resource, sourceId: source.id, sourceUrl: source.url, root });
    perSource.push(selected);
  }
  const planned = mergeSources(perSource).flatMap((r) => origin.get(r) ?? []);
  const { resourceIds, files } = await planRows(db, planned);
  const setIds = (
    await db
      .selectFrom('boot_resource_sets as s')
      .innerJoin('boot_resources as r', 'r.id', 's.resource_id')
      .select('s.id')
      .where((eb) =>
        eb.or(
          planned.map((p) =>
            eb.and([
              eb('r.name', '=', p.resource.name),
              eb('r.architecture', '=', p.resource.architecture),
              eb('s.version', '=', p.resource.version),
            ]),
          ),
        ),
      )
      .execute()
  ).map((r) => r.id);

  // Files already on disk (another resource, an earlier import) are recorded, never fetched again.
  const complete = await completeOnRegion(db, regionId);
  const missing = [];
  for (const file of files) {
    const stored = await store.storedSize(file.sha256);
    if (stored === file.size) {
      if (complete.get(file.sha256) !== file.size) {
        await setSyncedSize(db, regionId, file.sha256, file.size);
        await unpackIfBootloader(ctx, file);
      }
      progress.addFile(file.sha256, file.size, file.size);
    } else {
      missing.push(file);
      progress.addFile(file.sha256, file.size, await store.partialSize(file.sha256));
    }
  }
  progress.phase('checking disk space');
  const space = await checkDiskSpace(db, store, missing, ctx.diskMarginBytes);
  if (!space.ok) {
    logger.error(
      { needed_bytes: space.needed, free_bytes: space.free, files: missing.length },
      `import refused: not enough disk space in ${store.root} (${String(space.needed)} bytes needed, ${String(space.free)} free)`,
    );
    return { kind: 'no-space', needed: space.needed, free: space.free };
  }

  progress.phase('downloading');
  if (missing.length > 0)
    await recordEvent(db, {
      type: 'Image import progress',
      description: `Downloading ${missing.length} of ${files.length} files (${missing.reduce((n, f) => n + f.size, 0)} bytes)`,
    });
  const result =
    ctx.sync === undefined
      ? await downloadFiles(ctx, missing)
      : await transferFiles(ctx, ctx.sync, missing);
  await dropFailedManifests(db, result.failed);
  progress.phase('finalizing');
  const removeUnselected = failures.length === 0 && images.length === sourceCount;
  const cleaned = await finalizeImport(db, store, regionId, {
    resourceIds,
    setIds,
    removeUnselected,
  });
  logger.info(
    { ...cleaned, downloaded: result.ok, failed: result.failed.length },
    'image import finished',
  );
  return { kind: 'done', downloaded: result.ok, failed: result.failed.length, files: files.length };
}
