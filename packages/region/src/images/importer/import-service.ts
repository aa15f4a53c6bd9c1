import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { RegionContext } from '../../region-context.js';
import { recordEvent } from '../../events/index.js';
import { ImageStore } from '../store/image-store.js';
import { UploadWriter } from '../store/upload-writer.js';
import { reconcileStore, type ReconcileResult } from '../store/reconcile.js';
import { ImportMetrics } from './import-metrics.js';
import { ImportProgress } from './import-progress.js';
import {
  IMPORT_LOCK,
  lockState,
  releaseLock,
  renewLock,
  requestStop,
  tryAcquireLock,
} from './import-lock.js';
import { runImport, type ImportOutcome } from './run-import.js';
import type { ClusterTransfers } from './sync-files.js';
import { DISK_MARGIN_BYTES } from './disk-check.js';

export interface ImageServiceOptions {
  readonly concurrency?: number;
  readonly retries?: number;
  readonly diskMarginBytes?: number;
  /** How often the lock is renewed and a cluster-wide stop request is looked for. */
  readonly heartbeatMs?: number;
}

/**
 * The region's image import: one run at a time across every region sharing the database (a
 * lease in `locks`), stoppable from any region, with live progress and metrics. Triggers (start-up,
 * schedule, API, selection changes) all call `startImport`.
 */
export class ImageService {
  readonly store: ImageStore;
  readonly progress = new ImportProgress();
  readonly metrics = new ImportMetrics();
  readonly #region: RegionContext;
  readonly #logger: Logger;
  readonly #options: ImageServiceOptions;
  #running: Promise<ImportOutcome | null> | null = null;
  #controller: AbortController | null = null;
  #rerun = false;
  #starting = false;
  #closed = false;
  readonly #closing = new AbortController();
  lastFinished: number | null = null;

  /** Aborted when the region stops, so reads made for the API (a source fetch) end at once. */
  get closingSignal(): AbortSignal {
    return this.#closing.signal;
  }

  constructor(region: RegionContext, options: ImageServiceOptions = {}) {
    this.#region = region;
    this.#logger = region.logger.child({ module: 'images' });
    this.#options = options;
    this.store = new ImageStore(region.config.dataDir);
    this.uploads = new UploadWriter(this.store);
  }

  readonly uploads: UploadWriter;
  #sync: ClusterTransfers | undefined;

  /** From now on imports go through the cluster's transfer jobs (the composition root wires it). */
  attachSync(sync: ClusterTransfers): void {
    this.#sync = sync;
  }

  get region(): RegionContext {
    return this.#region;
  }

  get logger(): Logger {
    return this.#logger;
  }

  reconcile(): Promise<ReconcileResult> {
    return reconcileStore(this.#region.db, this.store, this.#region.regionId, this.#logger);
  }

  /** True while any region holds the import lock. */
  async isImporting(): Promise<boolean> {
    return this.#running !== null || (await lockState(this.#region.db, IMPORT_LOCK)) !== null;
  }

  /** The promise of the import this process runs, if any (tests and shutdown wait on it). */
  get running(): Promise<ImportOutcome | null> | null {
    return this.#running;
  }

  /**
   * Starts an import in the background. Returns false when one already runs (here: it will run
   * once more afterwards, since what triggered this may have changed the selections; elsewhere:
   * that region's import goes on).
   */
  async startImport(reason: string): Promise<boolean> {
    if (this.#closed) return false;
    if (this.#running !== null || this.#starting) {
      this.#rerun = true;
      return false;
    }
    const holder = `${this.#region.regionId}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.#starting = true;
    try {
      if (!(await tryAcquireLock(this.#region.db, IMPORT_LOCK, holder))) return false;
    } finally {
      this.#starting = false;
    }
    const controller = new AbortController();
    this.#controller = controller;
    this.#running = this.#run(holder, controller, reason).finally(() => {
      this.#running = null;
      this.#controller = null;
      this.lastFinished = Date.now();
      if (this.#rerun && !this.#closed && !controller.signal.aborted) {
        this.#rerun = false;
        void this.startImport('selections changed during the import');
      }
    });
    return true;
  }

  /** Stops the import wherever it runs: here at once, on another region at its next heartbeat. */
  async stopImport(): Promise<void> {
    this.#rerun = false;
    this.#controller?.abort(new Error('import stopped'));
    await requestStop(this.#region.db, IMPORT_LOCK);
  }

  /** The region begins to stop: end API reads of slow sources so in-flight requests can finish. */
  stopping(): void {
    if (!this.#closing.signal.aborted) this.#closing.abort(new Error('region stopping'));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.stopping();
    this.#controller?.abort(new Error('region stopping'));
    await this.#running?.catch(() => null);
  }

  async #run(
    holder: string,
    controller: AbortController,
    reason: string,
  ): Promise<ImportOutcome | null> {
    const { db } = this.#region;
    const started = Date.now();
    const heartbeat = setInterval(() => {
      void (async () => {
        const state = await lockState(db, IMPORT_LOCK);
        if (state?.holder === holder && state.stopRequested)
          controller.abort(new Error('import stopped'));
        else if (!(await renewLock(db, IMPORT_LOCK, holder)))
          controller.abort(new Error('import lock lost'));
      })().catch((error: unknown) =>
        this.#logger.warn({ err: error }, 'import lock renewal failed'),
      );
    }, this.#options.heartbeatMs ?? 5000);
    heartbeat.unref();
    this.metrics.importing.set(1);
    this.progress.start();
    let outcome: ImportOutcome | null = null;
    let label = 'error';
    try {
      this.#logger.info({ reason }, 'image import started');
      await recordEvent(db, {
        type: 'Image import started',
        description: `Import of boot resources started (${reason})`,
      });
      outcome = await runImport({
        db,
        store: this.store,
        regionId: this.#region.regionId,
        logger: this.#logger,
        signal: controller.signal,
        progress: this.progress,
        metrics: this.metrics,
        concurrency: this.#options.concurrency ?? 4,
        retries: this.#options.retries ?? 5,
        diskMarginBytes: this.#options.diskMarginBytes ?? DISK_MARGIN_BYTES,
        sync: this.#sync,
      });
      label = outcome.kind;
      const description =
        outcome.kind === 'done'
          ? `Import finished: ${outcome.files} files wanted, ${outcome.downloaded} downloaded, ${outcome.failed} failed`
          : outcome.kind === 'no-space'
            ? 'Import not started: not enough disk space'
            : 'Import failed: no boot source could be read';
      const clean = outcome.kind === 'done' && outcome.failed === 0;
      if (clean) this.#logger.info({ seconds: (Date.now() - started) / 1000 }, description);
      else this.#logger.error(description);
      await recordEvent(db, {
        type:
          outcome.kind === 'done' && outcome.failed === 0
            ? 'Image import finished'
            : 'Image import error',
        level: outcome.kind === 'done' && outcome.failed === 0 ? 'INFO' : 'ERROR',
        description,
      });
    } catch (error) {
      if (controller.signal.aborted) {
        label = 'stopped';
        this.#logger.info('image import stopped');
        if (!this.#closed)
          await recordEvent(db, {
            type: 'Image import stopped',
            description: 'Import of boot resources was stopped; partial files are kept for resume',
          }).catch(() => 0);
      } else {
        this.#logger.error({ err: error }, 'image import failed');
        await recordEvent(db, {
          type: 'Image import error',
          level: 'ERROR',
          description: `Import failed: ${(error as Error).message}`,
        }).catch(() => 0);
      }
    } finally {
      clearInterval(heartbeat);
      this.metrics.importing.set(0);
      this.metrics.importDuration.observe({ outcome: label }, (Date.now() - started) / 1000);
      this.progress.finish();
      await releaseLock(db, IMPORT_LOCK, holder).catch(() => undefined);
    }
    return outcome;
  }
}
