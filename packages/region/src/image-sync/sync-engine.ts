import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database, DialectName } from '../db/index.js';
import type { ImageStore } from '../images/index.js';
import { setSyncedSize } from '../images/index.js';
import { fileWaitState } from './await-files.js';
import { reportFailure, unpackIfBootloader } from './transfer-effects.js';
import { beatRegionSync, refreshMembership, registerRegion } from './membership.js';
import { getOrCreatePeerSecret } from './peer-auth.js';
import { fetchPeer, fetchUpstream, type FetchContext } from './transfer-fetch.js';
import { pickSource, planPeerCopies, type PlannerSettings } from './peer-planner.js';
import { causeCode, httpStatus, isRetryableTransfer } from './transfer-errors.js';
import { SyncMetrics } from './sync-metrics.js';
import { TransferQueue, type ClaimedJob, type UpstreamFile } from './transfer-queue.js';
import './tables.js';

export const TRANSFER_CHANNEL = 'kiln_transfer_jobs';

export interface ImageSyncOptions {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** For LISTEN on PostgreSQL (a connection of its own); unused on SQLite. */
  readonly databaseUrl: string;
  readonly regionId: string;
  readonly store: ImageStore;
  readonly logger: Logger;
  readonly metrics?: SyncMetrics;
  /** Transfers this region runs at once, and how many of them may be upstream downloads. */
  readonly concurrency?: number;
  readonly upstreamConcurrency?: number;
  readonly pollMs?: number;
  readonly heartbeatMs?: number;
  readonly leaseMs?: number;
  /** A region silent this long stops being required and stops being chosen as a source. */
  readonly graceMs?: number;
  /** Copies one source serves at once (also enforced by the source: 503). */
  readonly outboundCap?: number;
  /** A copy whose bytes grow by less than this per stall window is given up (source too slow). */
  readonly stallBytes?: number;
  readonly stallMs?: number;
  /** A non-retryable failure is planned again only after this long (ENOSPC may be fixed). */
  readonly retryFailedAfterMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** Called with upstream bytes as they arrive (the import's own byte counter). */
  readonly onUpstreamBytes?: (bytes: number) => void;
}

class LeaseLost extends Error {}
class SourceBusy extends Error {}

/**
 * One region's image sync (docs/decisions/0007): claims transfer jobs from the shared table and
 * runs them under a lease (upstream downloads any region may take; copies to this region from
 * a peer that holds the file), keeps its membership heartbeat, plans copies to every region
 * lacking a file some region holds, and requeues jobs whose writer died.
 */
export class ImageSync {
  readonly queue: TransferQueue;
  readonly metrics: SyncMetrics;
  readonly #o: ImageSyncOptions;
  readonly #log: Logger;
  readonly #running = new Map<number, AbortController>();
  /** Live byte counts of this region's own transfers, for imports waiting on them (awaitLocal). */
  readonly #byteListeners = new Set<(sha256: string, bytes: number) => void>();
  #timer: NodeJS.Timeout | undefined;
  #listener: pg.Client | undefined;
  #stopped = false;
  #ticking: Promise<void> | null = null;
  #again = false;
  #waiters: (() => void)[] = [];
  #secret: Promise<string> | undefined;
  #selfUrl = '';

  constructor(options: ImageSyncOptions) {
    this.#o = options;
    this.#log = options.logger.child({ module: 'image-sync' });
    this.queue = new TransferQueue(options.db, options.dialect, {
      leaseMs: options.leaseMs ?? 30_000,
      ...(options.backoffBaseMs === undefined ? {} : { backoffBaseMs: options.backoffBaseMs }),
      ...(options.backoffMaxMs === undefined ? {} : { backoffMaxMs: options.backoffMaxMs }),
    });
    this.metrics = options.metrics ?? new SyncMetrics(options.db);
  }

  get regionId(): string {
    return this.#o.regionId;
  }

  get graceMs(): number {
    return this.#o.graceMs ?? 90_000;
  }

  get #planner(): PlannerSettings {
    return {
      db: this.#o.db,
      dialect: this.#o.dialect,
      graceMs: this.graceMs,
      retryFailedAfterMs: this.#o.retryFailedAfterMs ?? 600_000,
    };
  }

  secret(): Promise<string> {
    this.#secret ??= getOrCreatePeerSecret(this.#o.db);
    return this.#secret;
  }

  /** `selfUrl`: the base URL (ending in /MAAS/) other regions fetch this one's files at. */
  async start(selfUrl: string): Promise<void> {
    this.#selfUrl = selfUrl;
    await this.secret();
    await registerRegion(this.#o.db, this.#o.dialect, this.#o.regionId, selfUrl);
    await this.queue.releaseOwn(this.#o.regionId);
    await this.#listen();
    await this.tick();
    const loop = (): void => {
      if (this.#stopped) return;
      this.#timer = setTimeout(() => {
        this.tick()
          .catch((error: unknown) => this.#log.warn({ err: error }, 'image sync pass failed'))
          .finally(loop);
      }, this.#o.pollMs ?? 3000);
      this.#timer.unref();
    };
    loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const controller of this.#running.values()) controller.abort(new Error('region stopping'));
    await this.#ticking?.catch(() => undefined);
    while (this.#running.size > 0) await this.changed(50);
    await this.#listener?.end().catch(() => undefined);
    this.#listener = undefined;
    this.#wakeWaiters();
  }

  async #listen(): Promise<void> {
    if (this.#o.dialect !== 'postgres' || this.#stopped) return;
    const client = new pg.Client({ connectionString: this.#o.databaseUrl });
    client.on('error', (error) => {
      this.#log.warn({ err: error }, 'image sync LISTEN connection lost; polling until it is back');
      if (this.#listener === client) this.#listener = undefined;
    });
    client.on('notification', () => {
      this.wake();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${TRANSFER_CHANNEL}`);
      this.#listener = client;
    } catch (error) {
      this.#log.warn({ err: error }, 'image sync LISTEN failed; polling only');
      await client.end().catch(() => undefined);
    }
  }

  /** Wakes every region's workers (PostgreSQL NOTIFY; on SQLite only this process exists). */
  async notify(): Promise<void> {
    if (this.#o.dialect === 'postgres')
      await sql`select pg_notify(${TRANSFER_CHANNEL}, '')`.execute(this.#o.db);
    this.wake();
  }

  /** Runs a pass soon (a notification arrived, a job finished). */
  wake(): void {
    this.#wakeWaiters();
    if (this.#stopped) return;
    void this.tick().catch((error: unknown) =>
      this.#log.warn({ err: error }, 'image sync pass failed'),
    );
  }

  #wakeWaiters(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Resolves at the next change seen by this region, or after `ms` (polling fallback). */
  changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** One pass; concurrent calls coalesce into at most one more pass. */
  tick(): Promise<void> {
    if (this.#ticking !== null) {
      this.#again = true;
      return this.#ticking;
    }
    this.#ticking = (async () => {
      do {
        this.#again = false;
        await this.#pass();
      } while (this.#passAgain());
    })().finally(() => {
      this.#ticking = null;
    });
    return this.#ticking;
  }

  // A method, not an inline read: the flag is set by wake() while #pass awaits.
  #passAgain(): boolean {
    return this.#again && !this.#stopped;
  }

  async #pass(): Promise<void> {
    if (this.#stopped) return;
    const { db, dialect, regionId } = this.#o;
    if (!(await beatRegionSync(db, dialect, regionId)))
      await registerRegion(db, dialect, regionId, this.#selfUrl);
    if (this.#listener === undefined) await this.#listen();
    await refreshMembership(db, dialect, this.graceMs);
    const reaped = await this.queue.reap();
    await this.queue.cancelUnreferenced();
    const planned = await planPeerCopies(this.#planner, this.queue);
    if (reaped + planned > 0 && dialect === 'postgres') await this.notify();
    await this.#fill();
  }

  /** Plans upstream downloads (idempotent) and wakes every region. */
  async planUpstream(files: readonly UpstreamFile[]): Promise<number> {
    const created = await this.queue.planUpstream(files);
    if (created > 0) await this.notify();
    return created;
  }

  /**
   * Makes `files` present on this region: upstream jobs for those no region holds (any live
   * region may take them), copies from peers for the others (planned by every pass). Resolves
   * when each is held here or has failed; `onBytes` reports the furthest transfer of each.
   */
  async awaitLocal(
    files: readonly UpstreamFile[],
    signal: AbortSignal,
    onBytes: (sha256: string, bytes: number) => void,
  ): Promise<{ done: Set<string>; failed: Map<string, string> }> {
    const replanned = new Set<string>();
    const wanted = new Set(files.map((f) => f.sha256));
    // Bytes of transfers running here are reported as they arrive; the database's figures (for
    // transfers elsewhere) are only as fresh as the last lease renewal, so each file reports the
    // furthest of the two.
    const furthest = new Map<string, number>();
    const report = (sha256: string, bytes: number) => {
      if (!wanted.has(sha256) || bytes <= (furthest.get(sha256) ?? -1)) return;
      furthest.set(sha256, bytes);
      onBytes(sha256, bytes);
    };
    this.#byteListeners.add(report);
    try {
      return await this.#awaitLocal(files, signal, report, replanned);
    } finally {
      this.#byteListeners.delete(report);
    }
  }

  async #awaitLocal(
    files: readonly UpstreamFile[],
    signal: AbortSignal,
    onBytes: (sha256: string, bytes: number) => void,
    replanned: Set<string>,
  ): Promise<{ done: Set<string>; failed: Map<string, string> }> {
    // Every import tries files no region holds once more (idempotent: active jobs are kept).
    await this.planUpstream((await fileWaitState(this.#o.db, this.#o.regionId, files)).unheld);
    for (;;) {
      const state = await fileWaitState(this.#o.db, this.#o.regionId, files);
      for (const [sha, bytes] of state.bytes) onBytes(sha, bytes);
      if (state.done.size + state.failed.size === files.length) return state;
      if (signal.aborted) {
        await this.cancelUpstream(files.map((f) => f.sha256));
        throw signal.reason ?? new Error('aborted');
      }
      // A file that lost its job (cancelled while another import wanted it) gets one new plan.
      const fresh = state.orphaned.filter((f) => !replanned.has(f.sha256));
      for (const f of fresh) replanned.add(f.sha256);
      if (fresh.length > 0) await this.planUpstream(fresh);
      else if (state.orphaned.length > 0)
        for (const f of state.orphaned) state.failed.set(f.sha256, 'the transfer was cancelled');
      if (state.done.size + state.failed.size === files.length) return state;
      this.wake();
      await this.changed(this.#o.pollMs ?? 3000);
    }
  }

  /** Cancels upstream jobs of these files (an import was stopped); local writers stop at once. */
  async cancelUpstream(sha256s: readonly string[]): Promise<void> {
    if (sha256s.length === 0) return;
    const ids = await this.#o.db
      .updateTable('transfer_jobs')
      .set({ state: 'cancelled', lease_expires: null, last_error: 'import stopped' })
      .where('kind', '=', 'upstream')
      .where('state', 'in', ['queued', 'running'])
      .where('sha256', 'in', sha256s)
      .returning('id')
      .execute();
    for (const { id } of ids) this.#running.get(id)?.abort(new LeaseLost('import stopped'));
  }

  async #fill(): Promise<void> {
    const limit = this.#o.concurrency ?? 3;
    const upstreamLimit = this.#o.upstreamConcurrency ?? 2;
    while (!this.#stopped && this.#running.size < limit) {
      const job = await this.queue.claim(this.#o.regionId, {
        upstream: this.#upstreamRunning < upstreamLimit,
      });
      if (job === null) return;
      const controller = new AbortController();
      this.#running.set(job.id, controller);
      if (job.kind === 'upstream') this.#upstreamRunning += 1;
      void this.#run(job, controller).finally(() => {
        this.#running.delete(job.id);
        if (job.kind === 'upstream') this.#upstreamRunning -= 1;
        this.wake();
      });
    }
  }

  #upstreamRunning = 0;

  #fetchContext(): FetchContext {
    return {
      store: this.#o.store,
      regionId: this.#o.regionId,
      metrics: this.metrics,
      secret: () => this.secret(),
      ...(this.#o.onUpstreamBytes === undefined
        ? {}
        : { onUpstreamBytes: this.#o.onUpstreamBytes }),
    };
  }

  async #run(job: ClaimedJob, controller: AbortController): Promise<void> {
    const { store, regionId } = this.#o;
    let bytes = 0;
    let stallMark = { at: Date.now(), bytes: 0 };
    let lastRenewed = Date.now();
    const leaseMs = this.queue.leaseMs;
    const heartbeat = setInterval(() => {
      void (async () => {
        try {
          if (!(await this.queue.renew(job, bytes))) {
            controller.abort(new LeaseLost(`lease of job ${job.id} lost`));
            return;
          }
          lastRenewed = Date.now();
        } catch (error) {
          // Without the database this writer cannot prove it holds the lease: stop before it expires.
          if (Date.now() - lastRenewed > leaseMs * 0.8)
            controller.abort(
              new LeaseLost(`lease of job ${job.id} not renewable: ${(error as Error).message}`),
            );
          return;
        }
        const stallMs = this.#o.stallMs ?? 60_000;
        if (Date.now() - stallMark.at >= stallMs) {
          if (bytes - stallMark.bytes < (this.#o.stallBytes ?? 64 * 1024) && bytes < job.size)
            controller.abort(
              new Error(`stalled: ${bytes - stallMark.bytes} bytes in ${stallMs} ms`),
            );
          stallMark = { at: Date.now(), bytes };
        }
      })();
    }, this.#o.heartbeatMs ?? 5000);
    heartbeat.unref();
    let source: string | null = null;
    try {
      await store.ensure();
      if ((await store.storedSize(job.sha256)) !== job.size) {
        if (job.kind === 'upstream')
          await fetchUpstream(this.#fetchContext(), job, controller.signal, (n) => {
            bytes = n;
            for (const listener of this.#byteListeners) listener(job.sha256, n);
          });
        else {
          const picked = await pickSource(
            this.#planner,
            this.#o.regionId,
            job,
            this.#o.outboundCap ?? 3,
          );
          if (picked === null) throw new SourceBusy('no region holding the file is free');
          source = picked.regionId;
          if (!(await this.queue.setSource(job, source))) throw new LeaseLost('lease lost');
          await fetchPeer(this.#fetchContext(), job, picked, controller.signal, (n) => {
            bytes = n;
            for (const listener of this.#byteListeners) listener(job.sha256, n);
          });
        }
      }
      const done = await this.queue.complete(job, (trx) =>
        setSyncedSize(trx, regionId, job.sha256, job.size),
      );
      if (!done) {
        this.#log.warn(
          { job: job.id, sha256: job.sha256 },
          'transfer finished after its lease was lost; not recorded',
        );
        return;
      }
      await unpackIfBootloader(this.#o.db, this.#o.store, this.#log, job.sha256);
      await this.notify();
    } catch (error) {
      const reason = controller.signal.aborted ? (controller.signal.reason as unknown) : error;
      if (reason instanceof LeaseLost) {
        this.#log.warn({ job: job.id, sha256: job.sha256 }, reason.message);
        return;
      }
      if (this.#stopped) {
        await this.queue.release(job, 0, 'region stopping').catch(() => false);
        return;
      }
      if (error instanceof SourceBusy || httpStatus(error) === 503) {
        await this.queue.release(job, 2000, (error as Error).message);
        return;
      }
      const code = causeCode(error);
      const message = reason instanceof Error ? reason.message : String(reason);
      const retryable = isRetryableTransfer(job.kind, error);
      const outcome = await this.queue.fail(job, message, retryable);
      this.#log.warn(
        { job: job.id, sha256: job.sha256, kind: job.kind, source, outcome, err: error },
        'transfer failed',
      );
      if (outcome === 'failed')
        await reportFailure(
          this.#o.db,
          this.#o.regionId,
          job,
          code === 'ENOSPC' ? 'no space left on device' : message,
        );
      else await this.notify();
    } finally {
      clearInterval(heartbeat);
    }
  }
}
