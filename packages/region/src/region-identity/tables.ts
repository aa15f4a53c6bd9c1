import type { Selectable } from 'kysely';

/** Migration 0007's liveness row per region identity; kept here so the shared schema file stays untouched. */
export interface RegionHeartbeatsTable {
  system_id: string;
  version: string;
  last_seen: string;
}

declare module '../db/schema.js' {
  interface Database {
    region_heartbeats: RegionHeartbeatsTable;
  }
}

export type RegionHeartbeatRow = Selectable<RegionHeartbeatsTable>;
