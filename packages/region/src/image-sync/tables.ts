import type { Generated, Selectable } from 'kysely';

export type TransferKind = 'upstream' | 'peer';
export type TransferState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** Migration 0012-image-sync (see there for what each column means). */
export interface TransferJobsTable {
  id: Generated<number>;
  sha256: string;
  size: number;
  kind: TransferKind;
  target_region: string;
  source_url: string;
  state: TransferState;
  attempt: Generated<number>;
  not_before: number;
  lease_owner: string | null;
  lease_token: Generated<number>;
  lease_expires: number | null;
  heartbeat_at: number | null;
  bytes_done: Generated<number>;
  source_region: string | null;
  last_error: string | null;
  created: number;
  updated: number;
}

export interface RegionSyncStatesTable {
  region_id: string;
  state: 'joining' | 'active';
  required: Generated<number>;
  heartbeat: number;
  url: string;
  updated: number;
}

declare module '../db/schema.js' {
  interface Database {
    transfer_jobs: TransferJobsTable;
    region_sync_states: RegionSyncStatesTable;
  }
}

export type TransferJobRow = Selectable<TransferJobsTable>;
export type RegionSyncStateRow = Selectable<RegionSyncStatesTable>;
