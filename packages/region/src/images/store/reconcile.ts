import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/index.js';
import { isSha256, type ImageStore } from './image-store.js';
import { dropSyncRecords, knownFiles, setSyncedSize } from './file-syncs.js';

export interface ReconcileResult {
  /** Entries removed because no resource references them. */
  readonly removed: string[];
  /** Known files this region lacks (absent or wrong size); they will be downloaded. */
  readonly missing: string[];
  /** Files present with the right size (record created or confirmed). */
  readonly present: number;
}

/** Directories the store keeps whatever the database says. */
const KEPT = new Set(['bootloaders', 'quarantine', 'custom', 'lost+found']);

function partialOwner(name: string): string | null {
  const m = /^([0-9a-f]{64})(?:\.validator)?\.partial$/.exec(name);
  return m?.[1] ?? null;
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
  for (const file of known.values()) {
    const size = (await stat(store.pathFor(file.sha256)).catch(() => null))?.size ?? null;
    if (size === file.size) {
      present += 1;
      if (file.synced !== file.size) await setSyncedSize(db, regionId, file.sha256, file.size);
      continue;
    }
    if (size !== null) await rm(store.pathFor(file.sha256), { force: true });
    missing.push(file.sha256);
    if (file.synced !== 0) await dropSyncRecords(db, regionId, file.sha256);
  }
  if (removed.length > 0 || missing.length > 0)
    logger.info({ removed, missing: missing.length, present }, 'image store reconciled');
  return { removed, missing, present };
}
