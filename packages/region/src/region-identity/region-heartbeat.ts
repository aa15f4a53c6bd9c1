import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { nowIso, type Database } from '../db/index.js';
import './tables.js';

/** How often a running region records that it is alive (racks use the same period). */
export const REGION_HEARTBEAT_INTERVAL_MS = 30_000;

/** Records that this region is alive now, running `version`. */
export async function beatRegion(
  db: Kysely<Database>,
  systemId: string,
  version: string,
): Promise<void> {
  const now = nowIso();
  await db
    .insertInto('region_heartbeats')
    .values({ system_id: systemId, version, last_seen: now })
    .onConflict((oc) => oc.column('system_id').doUpdateSet({ version, last_seen: now }))
    .execute();
}

export interface RegionHeartbeatOptions {
  readonly db: Kysely<Database>;
  readonly systemId: string;
  readonly version: string;
  readonly logger: Logger;
  readonly intervalMs?: number;
}

/**
 * Beats once now (so a region is listed alive as soon as it has started), then every period.
 * A failed beat is logged and retried at the next tick: a database blip must not stop the region.
 */
export async function startRegionHeartbeat(options: RegionHeartbeatOptions): Promise<() => void> {
  const beat = () => beatRegion(options.db, options.systemId, options.version);
  await beat();
  const timer = setInterval(() => {
    beat().catch((error: unknown) => {
      options.logger.warn({ err: error }, 'region heartbeat failed; will retry');
    });
  }, options.intervalMs ?? REGION_HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
