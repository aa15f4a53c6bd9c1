import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { heldBy } from './membership.js';
import type { UpstreamFile } from './transfer-queue.js';
import './tables.js';

export interface FileWaitState {
  readonly done: Set<string>;
  readonly failed: Map<string, string>;
  /** Files nothing is fetching and no region holds: they need an upstream job. */
  readonly orphaned: UpstreamFile[];
  /** Files no region holds completely (an import plans upstream jobs for them). */
  readonly unheld: UpstreamFile[];
  readonly bytes: Map<string, number>;
}

/**
 * Where each wanted file stands for `region`: held (its own record), failed (the latest
 * upstream job failed while no region holds it, or the latest copy to this region failed),
 * or still moving (with the bytes of the furthest running transfer).
 */
export async function fileWaitState(
  db: Kysely<Database>,
  region: string,
  files: readonly UpstreamFile[],
): Promise<FileWaitState> {
  const shas = files.map((f) => f.sha256);
  const held = await heldBy(db, region);
  const anywhere = new Set(
    (
      await db
        .selectFrom('boot_resource_file_syncs as s')
        .innerJoin('boot_resource_files as f', 'f.id', 's.file_id')
        .select('f.sha256')
        .where('f.sha256', 'in', shas.length === 0 ? [''] : shas)
        .whereRef('s.size', '>=', 'f.size')
        .distinct()
        .execute()
    ).map((r) => r.sha256),
  );
  const jobs =
    shas.length === 0
      ? []
      : await db
          .selectFrom('transfer_jobs')
          .select(['sha256', 'kind', 'target_region', 'state', 'bytes_done', 'last_error'])
          .where('sha256', 'in', shas)
          .where((eb) => eb.or([eb('kind', '=', 'upstream'), eb('target_region', '=', region)]))
          .orderBy('id', 'desc')
          .execute();
  const latest = new Map<string, (typeof jobs)[number]>();
  const bytes = new Map<string, number>();
  for (const job of jobs) {
    const key = `${job.sha256}:${job.kind}`;
    if (!latest.has(key)) latest.set(key, job);
    if (job.state === 'running' || job.state === 'queued')
      bytes.set(job.sha256, Math.max(bytes.get(job.sha256) ?? 0, job.bytes_done));
  }
  const state: FileWaitState = {
    done: new Set(),
    failed: new Map(),
    orphaned: [],
    unheld: [],
    bytes,
  };
  for (const file of files) {
    if (held.has(file.sha256)) {
      state.done.add(file.sha256);
      continue;
    }
    const upstream = latest.get(`${file.sha256}:upstream`);
    const peer = latest.get(`${file.sha256}:peer`);
    if (peer?.state === 'failed') {
      state.failed.set(file.sha256, peer.last_error ?? 'copy failed');
      continue;
    }
    if (anywhere.has(file.sha256)) continue;
    state.unheld.push(file);
    if (upstream?.state === 'failed') {
      state.failed.set(file.sha256, upstream.last_error ?? 'download failed');
      continue;
    }
    const active = (s: string | undefined) => s === 'queued' || s === 'running';
    if (!active(upstream?.state) && !active(peer?.state)) state.orphaned.push(file);
  }
  return state;
}
