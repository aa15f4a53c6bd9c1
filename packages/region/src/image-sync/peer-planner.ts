import type { Kysely } from 'kysely';
import type { Database, DialectName } from '../db/index.js';
import { readDbNow } from './db-time.js';
import type { ClaimedJob, TransferQueue } from './transfer-queue.js';
import './tables.js';

export interface PlannerSettings {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly graceMs: number;
  /** A failed copy is planned again only after this long (ENOSPC may have been fixed). */
  readonly retryFailedAfterMs: number;
}

async function liveRegions(s: PlannerSettings): Promise<{ now: number; live: string[] }> {
  const now = await readDbNow(s.db, s.dialect);
  const rows = await s.db
    .selectFrom('region_sync_states')
    .select('region_id')
    .where('heartbeat', '>=', now - s.graceMs)
    .execute();
  return { now, live: rows.map((r) => r.region_id) };
}

/**
 * Ensures a copy job to every live region (joining ones included) lacking a file that some
 * region holds completely: copies start as soon as any region has a file, and regions that
 * just finished become sources too. Returns how many jobs it created.
 */
export async function planPeerCopies(s: PlannerSettings, queue: TransferQueue): Promise<number> {
  const { db } = s;
  const { now, live } = await liveRegions(s);
  if (live.length < 2) return 0;
  const holders = await db
    .selectFrom('boot_resource_files as f')
    .innerJoin('boot_resource_file_syncs as s', 's.file_id', 'f.id')
    .select(['f.sha256', 's.region_id'])
    .whereRef('s.size', '>=', 'f.size')
    .distinct()
    .execute();
  const held = new Map<string, Set<string>>();
  for (const h of holders) {
    const set = held.get(h.sha256) ?? new Set<string>();
    set.add(h.region_id);
    held.set(h.sha256, set);
  }
  const files = await db
    .selectFrom('boot_resource_files')
    .select(['sha256', 'size'])
    .distinct()
    .execute();
  const blocked = new Set(
    (
      await db
        .selectFrom('transfer_jobs')
        .select(['sha256', 'target_region'])
        .where('kind', '=', 'peer')
        .where((eb) =>
          eb.or([
            eb('state', 'in', ['queued', 'running']),
            eb.and([eb('state', '=', 'failed'), eb('updated', '>', now - s.retryFailedAfterMs)]),
          ]),
        )
        .execute()
    ).map((j) => `${j.sha256}:${j.target_region}`),
  );
  let created = 0;
  for (const file of files) {
    const have = held.get(file.sha256);
    if (have === undefined) continue;
    for (const target of live) {
      if (have.has(target) || blocked.has(`${file.sha256}:${target}`)) continue;
      if (await queue.planPeer(file.sha256, file.size, target)) created += 1;
    }
  }
  return created;
}

/**
 * Chooses where a copy comes from when it starts (not when it was planned): a live region
 * holding the file completely, with the fewest copies running from it and under `cap`,
 * preferring one the previous attempt did not use. Null when none is free.
 */
export async function pickSource(
  s: PlannerSettings,
  self: string,
  job: ClaimedJob,
  cap: number,
): Promise<{ regionId: string; url: string } | null> {
  const { db } = s;
  const now = await readDbNow(db, s.dialect);
  const candidates = await db
    .selectFrom('boot_resource_file_syncs as s')
    .innerJoin('boot_resource_files as f', 'f.id', 's.file_id')
    .innerJoin('region_sync_states as q', 'q.region_id', 's.region_id')
    .select(['q.region_id', 'q.url'])
    .where('f.sha256', '=', job.sha256)
    .whereRef('s.size', '>=', 'f.size')
    .where('q.heartbeat', '>=', now - s.graceMs)
    .where('q.region_id', '!=', self)
    .distinct()
    .execute();
  if (candidates.length === 0) return null;
  const running = await db
    .selectFrom('transfer_jobs')
    .select('source_region')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'running')
    .where('kind', '=', 'peer')
    .where('id', '!=', job.id)
    .groupBy('source_region')
    .execute();
  const load = new Map(running.map((r) => [r.source_region ?? '', r.n]));
  const ranked = candidates
    .filter((c) => (load.get(c.region_id) ?? 0) < cap)
    .map((c) => ({
      c,
      key:
        (c.region_id === job.previousSource ? 1000 : 0) +
        (load.get(c.region_id) ?? 0) +
        Math.random(),
    }))
    .sort((a, b) => a.key - b.key);
  const best = ranked[0]?.c;
  return best === undefined ? null : { regionId: best.region_id, url: best.url };
}
