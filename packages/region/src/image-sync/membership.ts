import { sql, type Kysely } from 'kysely';
import type { Database, DialectName } from '../db/index.js';
import { recordEvent } from '../events/index.js';
import { clearSystemNotification, setSystemNotification } from '../notifications/index.js';
import { dbNowMs, readDbNow } from './db-time.js';
import './tables.js';

export const MISSING_REGION_IDENT = 'image-sync-region-missing';

function missingIdent(regionId: string): string {
  return `${MISSING_REGION_IDENT}:${regionId}`;
}

/**
 * A region (re)enters image sync as joining: it copies but is not required until
 * `refreshMembership` finds it holds every ready file. A region that restarts with a store that
 * lost files therefore never makes ready images unready; one that lost nothing is required
 * again at the first refresh. The first region of a cluster, with nothing to catch up on, is
 * promoted at once.
 */
export async function registerRegion(
  db: Kysely<Database>,
  dialect: DialectName,
  regionId: string,
  url: string,
): Promise<void> {
  const now = dbNowMs(dialect);
  await sql`
    insert into region_sync_states (region_id, state, required, heartbeat, url, updated)
    values (${regionId}, 'joining', 0, ${now}, ${url}, ${now})
    on conflict (region_id) do update
      set state = 'joining', required = 0, heartbeat = ${now}, url = ${url}, updated = ${now}`.execute(
    db,
  );
}

export async function beatRegionSync(
  db: Kysely<Database>,
  dialect: DialectName,
  regionId: string,
): Promise<boolean> {
  const result = await db
    .updateTable('region_sync_states')
    .set({ heartbeat: dbNowMs(dialect) })
    .where('region_id', '=', regionId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** sha256s of every file of every ready set (ready under the current required regions). */
export async function readyFileShas(db: Kysely<Database>): Promise<Map<string, Set<number>>> {
  const { rows } = await sql<{
    set_id: number;
    sha256: string;
    size: number | string;
    holders: number | string;
    missing: number | string;
  }>`
    select f.set_id, f.sha256, f.size,
           (select count(*) from boot_resource_file_syncs y
             where y.file_id = f.id and y.size >= f.size) as holders,
           (select count(*) from region_sync_states q
             where q.required = 1 and not exists (
               select 1 from boot_resource_file_syncs y
                where y.file_id = f.id and y.region_id = q.region_id and y.size >= f.size)) as missing
      from boot_resource_files f`.execute(db);
  const notReady = new Set<number>();
  for (const row of rows)
    if (Number(row.holders) === 0 || Number(row.missing) > 0) notReady.add(row.set_id);
  const shas = new Map<string, Set<number>>();
  for (const row of rows) {
    if (notReady.has(row.set_id)) continue;
    const sets = shas.get(row.sha256) ?? new Set<number>();
    sets.add(row.set_id);
    shas.set(row.sha256, sets);
  }
  return shas;
}

/** Files (sha256 → size) this region holds completely, by its records. */
export async function heldBy(db: Kysely<Database>, regionId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('boot_resource_file_syncs as s')
    .innerJoin('boot_resource_files as f', 'f.id', 's.file_id')
    .select('f.sha256')
    .where('s.region_id', '=', regionId)
    .whereRef('s.size', '>=', 'f.size')
    .distinct()
    .execute();
  return new Set(rows.map((r) => r.sha256));
}

export interface MembershipChange {
  readonly regionId: string;
  readonly change: 'missing' | 'caught-up' | 'required-again';
}

/**
 * Keeps `required` true to the rule of docs/decisions/0007 (any region may run this; every
 * update is conditional, so concurrent runs agree):
 * - an active region whose heartbeat is older than `graceMs` stops being required and goes
 *   back to joining, with a notification naming it;
 * - a heartbeating joining region that holds every file of every ready set becomes active
 *   and required (the first region of a cluster trivially so);
 * - a heartbeating active region is required.
 */
export async function refreshMembership(
  db: Kysely<Database>,
  dialect: DialectName,
  graceMs: number,
): Promise<MembershipChange[]> {
  const now = await readDbNow(db, dialect);
  const states = await db.selectFrom('region_sync_states').selectAll().execute();
  const changes: MembershipChange[] = [];
  for (const state of states) {
    const fresh = state.heartbeat >= now - graceMs;
    if (!fresh && (state.state === 'active' || state.required === 1)) {
      const result = await db
        .updateTable('region_sync_states')
        .set({ state: 'joining', required: 0, updated: now })
        .where('region_id', '=', state.region_id)
        .where('heartbeat', '<', now - graceMs)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) {
        changes.push({ regionId: state.region_id, change: 'missing' });
        const name = await regionName(db, state.region_id);
        const message = `Region ${name} has not been seen for ${Math.round((now - state.heartbeat) / 1000)} s: new images no longer wait for it. It copies what it lacks from the other regions when it returns.`;
        await setSystemNotification(db, missingIdent(state.region_id), {
          message,
          category: 'warning',
        });
        await recordEvent(db, {
          type: 'Region image sync',
          level: 'WARNING',
          description: message,
        });
      }
    } else if (fresh && state.state === 'active' && state.required === 0) {
      await db
        .updateTable('region_sync_states')
        .set({ required: 1, updated: now })
        .where('region_id', '=', state.region_id)
        .where('state', '=', 'active')
        .execute();
      changes.push({ regionId: state.region_id, change: 'required-again' });
    }
  }
  const ready = await readyFileShas(db);
  for (const state of states) {
    if (state.state !== 'joining' || state.heartbeat < now - graceMs) continue;
    const held = await heldBy(db, state.region_id);
    if ([...ready.keys()].some((sha) => !held.has(sha))) continue;
    const result = await db
      .updateTable('region_sync_states')
      .set({ state: 'active', required: 1, updated: now })
      .where('region_id', '=', state.region_id)
      .where('state', '=', 'joining')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) {
      changes.push({ regionId: state.region_id, change: 'caught-up' });
      await clearSystemNotification(db, missingIdent(state.region_id));
      await recordEvent(db, {
        type: 'Region image sync',
        description: `Region ${await regionName(db, state.region_id)} holds every ready image and is now required for readiness`,
      });
    }
  }
  return changes;
}

async function regionName(db: Kysely<Database>, regionId: string): Promise<string> {
  const row = await db
    .selectFrom('regions')
    .select('hostname')
    .where('system_id', '=', regionId)
    .executeTakeFirst();
  return row === undefined ? regionId : `${row.hostname} (${regionId})`;
}

/** A deleted region controller leaves readiness at once. */
export async function forgetRegion(db: Kysely<Database>, regionId: string): Promise<void> {
  await db.deleteFrom('region_sync_states').where('region_id', '=', regionId).execute();
  await clearSystemNotification(db, missingIdent(regionId));
}
