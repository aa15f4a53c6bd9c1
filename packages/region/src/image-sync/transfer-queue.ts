import { sql, type Kysely } from 'kysely';
import type { Database, DialectName } from '../db/index.js';
import { dbNowMs, readDbNow } from './db-time.js';
import type { TransferJobRow, TransferKind } from './tables.js';
import './tables.js';

export interface TransferQueueOptions {
  /** How long a claim lasts without a heartbeat. */
  readonly leaseMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** Retryable failures (and expired leases) before a job is failed for good. */
  readonly maxAttempts?: number;
}

/** What a writer holds: the job and the fencing token every later write must present. */
export interface Lease {
  readonly id: number;
  readonly owner: string;
  readonly token: number;
}

export interface ClaimedJob extends Lease {
  readonly sha256: string;
  readonly size: number;
  readonly kind: TransferKind;
  readonly targetRegion: string;
  readonly sourceUrl: string;
  readonly attempt: number;
  /** The region the previous attempt copied from (a retry prefers another). */
  readonly previousSource: string | null;
}

export interface UpstreamFile {
  readonly sha256: string;
  readonly size: number;
  readonly url: string;
}

export type FailOutcome = 'requeued' | 'failed' | 'lost';

const ACTIVE = ['queued', 'running'] as const;

/**
 * Transfer jobs with leases on the database every region shares (docs/decisions/0007). A claim
 * is one short statement (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one writer and runs
 * the same statement without it); from then on the job belongs to whoever presents its
 * `lease_token`, and every write (heartbeat, completion, failure) is conditional on it, so a
 * writer that lost its lease changes nothing.
 */
export class TransferQueue {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly leaseMs: number;
  readonly #backoffBaseMs: number;
  readonly #backoffMaxMs: number;
  readonly maxAttempts: number;

  constructor(db: Kysely<Database>, dialect: DialectName, options: TransferQueueOptions = {}) {
    this.db = db;
    this.dialect = dialect;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.#backoffBaseMs = options.backoffBaseMs ?? 2_000;
    this.#backoffMaxMs = options.backoffMaxMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  now(): Promise<number> {
    return readDbNow(this.db, this.dialect);
  }

  /** Delay before attempt `attempt + 1` after `attempt` tries: doubling, capped. */
  backoffMs(attempt: number): number {
    return Math.min(this.#backoffMaxMs, this.#backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  }

  /** Ensures one active job per file; returns how many were created (0 when all existed). */
  async planUpstream(files: readonly UpstreamFile[]): Promise<number> {
    let created = 0;
    for (const file of files)
      created += await this.#insert(file.sha256, file.size, 'upstream', '', file.url);
    return created;
  }

  /** Ensures one active copy job of `sha256` to `target`; true when it was created now. */
  async planPeer(sha256: string, size: number, target: string): Promise<boolean> {
    return (await this.#insert(sha256, size, 'peer', target, '')) === 1;
  }

  async #insert(
    sha256: string,
    size: number,
    kind: TransferKind,
    target: string,
    url: string,
  ): Promise<number> {
    const now = dbNowMs(this.dialect);
    const result = await sql`
      insert into transfer_jobs
        (sha256, size, kind, target_region, source_url, state, not_before, created, updated)
      values (${sha256}, ${size}, ${kind}, ${target}, ${url}, 'queued', ${now}, ${now}, ${now})
      on conflict (sha256, kind, target_region) where state in ('queued', 'running')
      do nothing`.execute(this.db);
    return Number(result.numAffectedRows ?? 0n);
  }

  /**
   * Claims the oldest eligible job for `region`: its own peer copies first, then (when
   * `upstream` allows) any upstream download. Null when nothing is due.
   */
  async claim(region: string, options: { upstream: boolean }): Promise<ClaimedJob | null> {
    const now = dbNowMs(this.dialect);
    const lock = this.dialect === 'postgres' ? sql`for update skip locked` : sql``;
    const upstream = options.upstream ? sql`or kind = 'upstream'` : sql``;
    const { rows } = await sql<TransferJobRow>`
      update transfer_jobs
         set state = 'running', lease_owner = ${region}, lease_token = lease_token + 1,
             attempt = attempt + 1, lease_expires = ${now} + ${this.leaseMs},
             heartbeat_at = ${now}, updated = ${now}
       where state = 'queued' and id = (
         select id from transfer_jobs
          where state = 'queued' and not_before <= ${now}
            and ((kind = 'peer' and target_region = ${region}) ${upstream})
          order by case when kind = 'peer' then 0 else 1 end, id
          limit 1 ${lock})
      returning *`.execute(this.db);
    const row = rows[0];
    if (row === undefined) return null;
    return {
      id: row.id,
      owner: region,
      token: row.lease_token,
      sha256: row.sha256,
      size: row.size,
      kind: row.kind,
      targetRegion: row.target_region,
      sourceUrl: row.source_url,
      attempt: row.attempt,
      previousSource: row.source_region,
    };
  }

  #held(lease: Lease) {
    return this.db
      .updateTable('transfer_jobs')
      .where('id', '=', lease.id)
      .where('lease_owner', '=', lease.owner)
      .where('lease_token', '=', lease.token)
      .where('state', '=', 'running');
  }

  /** Heartbeat: extends the lease and records progress. False: the lease is gone, stop writing. */
  async renew(lease: Lease, bytesDone: number): Promise<boolean> {
    const now = dbNowMs(this.dialect);
    const result = await this.#held(lease)
      .set({
        lease_expires: sql<number>`${now} + ${this.leaseMs}`,
        heartbeat_at: now,
        bytes_done: bytesDone,
        updated: now,
      })
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async setSource(lease: Lease, sourceRegion: string): Promise<boolean> {
    const result = await this.#held(lease).set({ source_region: sourceRegion }).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Marks the job done and runs `record` (the per-region copy record) in the same transaction,
   * only while the lease is still held: a zombie writer's completion changes nothing.
   */
  async complete(lease: Lease, record: (trx: Kysely<Database>) => Promise<void>): Promise<boolean> {
    const now = dbNowMs(this.dialect);
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('transfer_jobs')
        .where('id', '=', lease.id)
        .where('lease_owner', '=', lease.owner)
        .where('lease_token', '=', lease.token)
        .where('state', '=', 'running')
        .set({
          state: 'done',
          bytes_done: sql<number>`size`,
          lease_expires: null,
          last_error: null,
          updated: now,
        })
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await record(trx);
      return true;
    });
  }

  /**
   * A failed attempt: retryable ones go back to the queue after a backoff until maxAttempts;
   * others (ENOSPC, upstream 404, ...) fail at once so nothing retries for ever.
   */
  async fail(lease: Lease, error: string, retryable: boolean): Promise<FailOutcome> {
    const row = await this.db
      .selectFrom('transfer_jobs')
      .select('attempt')
      .where('id', '=', lease.id)
      .executeTakeFirst();
    if (row === undefined) return 'lost';
    const final = !retryable || row.attempt >= this.maxAttempts;
    const now = dbNowMs(this.dialect);
    const result = await this.#held(lease)
      .set(
        final
          ? { state: 'failed', last_error: error, lease_expires: null, updated: now }
          : {
              state: 'queued',
              last_error: error,
              lease_owner: null,
              lease_expires: null,
              not_before: sql<number>`${now} + ${this.backoffMs(row.attempt)}`,
              updated: now,
            },
      )
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return 'lost';
    return final ? 'failed' : 'requeued';
  }

  /** Gives the job back without counting the attempt (no source free yet, region stopping). */
  async release(lease: Lease, delayMs: number, reason: string): Promise<boolean> {
    const now = dbNowMs(this.dialect);
    const result = await this.#held(lease)
      .set({
        state: 'queued',
        attempt: sql<number>`attempt - 1`,
        lease_owner: null,
        lease_expires: null,
        last_error: reason,
        not_before: sql<number>`${now} + ${delayMs}`,
        updated: now,
      })
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * At start-up: jobs this region held belonged to its previous process, which is gone. They
   * are due at once (the next claim bumps the token, fencing that process should it live on).
   */
  async releaseOwn(region: string): Promise<number> {
    const result = await this.db
      .updateTable('transfer_jobs')
      .set({
        state: 'queued',
        lease_owner: null,
        lease_expires: null,
        attempt: sql<number>`attempt - 1`,
        not_before: dbNowMs(this.dialect),
        last_error: `region ${region} restarted`,
      })
      .where('state', '=', 'running')
      .where('lease_owner', '=', region)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Requeues jobs whose lease expired (their writer died or hangs), with backoff. */
  async reap(): Promise<number> {
    const now = await this.now();
    const expired = await this.db
      .selectFrom('transfer_jobs')
      .select(['id', 'lease_token', 'lease_owner', 'attempt'])
      .where('state', '=', 'running')
      .where('lease_expires', '<', now)
      .execute();
    let reaped = 0;
    for (const job of expired) {
      const final = job.attempt >= this.maxAttempts;
      const message = `lease expired: ${job.lease_owner ?? 'a region'} stopped renewing it`;
      const result = await this.db
        .updateTable('transfer_jobs')
        .where('id', '=', job.id)
        .where('lease_token', '=', job.lease_token)
        .where('state', '=', 'running')
        .where('lease_expires', '<', now)
        .set(
          final
            ? { state: 'failed', last_error: message, lease_expires: null, updated: now }
            : {
                state: 'queued',
                lease_owner: null,
                lease_expires: null,
                last_error: message,
                not_before: now + this.backoffMs(job.attempt),
                updated: now,
              },
        )
        .executeTakeFirst();
      reaped += Number(result.numUpdatedRows);
    }
    return reaped;
  }

  /** Cancels the active copies to `region` (it was deleted); their writers stop at the next heartbeat. */
  async cancelForRegion(region: string): Promise<number> {
    const result = await this.db
      .updateTable('transfer_jobs')
      .set({ state: 'cancelled', lease_expires: null, last_error: `region ${region} was deleted` })
      .where('state', 'in', ACTIVE)
      .where('kind', '=', 'peer')
      .where('target_region', '=', region)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Cancels active jobs of files nothing references any more. */
  async cancelUnreferenced(): Promise<number> {
    const result = await this.db
      .updateTable('transfer_jobs')
      .set({ state: 'cancelled', lease_expires: null, last_error: 'no image references the file' })
      .where('state', 'in', ACTIVE)
      .where('sha256', 'not in', this.db.selectFrom('boot_resource_files').select('sha256'))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Latest job per (sha256, kind, target) for the given files, newest first. */
  async jobsFor(sha256s: readonly string[]): Promise<TransferJobRow[]> {
    if (sha256s.length === 0) return [];
    return this.db
      .selectFrom('transfer_jobs')
      .selectAll()
      .where('sha256', 'in', sha256s)
      .orderBy('id', 'desc')
      .execute();
  }
}
