import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { isAppError } from '@kiln/node-kit';
import { downloadStreamFile } from '@kiln/simplestreams';
import type { Database } from '../../db/index.js';
import { recordEvent } from '../../events/index.js';
import { setSyncedSize } from '../store/file-syncs.js';
import type { ImageStore } from '../store/image-store.js';
import { unpackBootloader } from '../store/unpack-bootloader.js';
import type { ImportMetrics } from './import-metrics.js';
import type { ImportProgress } from './import-progress.js';
import type { WantedFile } from './plan-rows.js';

export interface DownloadContext {
  readonly db: Kysely<Database>;
  readonly store: ImageStore;
  readonly regionId: string;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly progress: ImportProgress;
  readonly metrics: ImportMetrics;
  readonly concurrency: number;
  readonly retries: number;
}

const MISMATCH = new Set([
  'HTTP_CHECKSUM_MISMATCH',
  'HTTP_SIZE_MISMATCH',
  'STREAM_CHECKSUM_MISMATCH',
]);

/** Unpacks a bootloader archive; a bad archive is an error event, the verified file stays. */
export async function unpackIfBootloader(
  ctx: Pick<DownloadContext, 'db' | 'store' | 'logger'>,
  file: WantedFile,
): Promise<void> {
  if (file.bootloader === undefined) return;
  try {
    await unpackBootloader(
      ctx.store.pathFor(file.sha256),
      ctx.store.bootloadersDir,
      file.bootloader.type,
      file.bootloader.arch,
    );
  } catch (error) {
    ctx.logger.warn({ err: error, file: file.path }, 'bootloader archive not unpacked');
    await recordEvent(ctx.db, {
      type: 'Image import error',
      level: 'ERROR',
      description: `Bootloader archive ${file.path} (${file.sha256}) could not be unpacked: ${(error as Error).message}`,
    });
  }
}

async function downloadOne(ctx: DownloadContext, file: WantedFile): Promise<boolean> {
  let last = 0;
  try {
    await downloadStreamFile(file.root, file, ctx.store.pathFor(file.sha256), {
      signal: ctx.signal,
      logger: ctx.logger,
      retries: ctx.retries,
      onBytes: (received, resumedFrom) => {
        const fresh = received - Math.max(last, resumedFrom);
        if (fresh > 0) ctx.metrics.bytesDownloaded.inc(fresh);
        last = received;
        ctx.progress.bytes(file.sha256, received);
      },
    });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const mismatch = isAppError(error) && MISMATCH.has(error.code);
    if (mismatch) ctx.metrics.verificationFailures.inc();
    ctx.logger.error(
      { err: error, file: file.path, source: file.sourceUrl },
      'image file download failed',
    );
    await recordEvent(ctx.db, {
      type: 'Image import error',
      level: 'ERROR',
      description: `${mismatch ? 'Verification failed for' : 'Failed to download'} ${file.path} (sha256 ${file.sha256}, ${file.size} bytes) from ${file.sourceUrl}: ${(error as Error).message}`,
    });
    return false;
  }
  ctx.metrics.filesVerified.inc();
  ctx.progress.bytes(file.sha256, file.size);
  await setSyncedSize(ctx.db, ctx.regionId, file.sha256, file.size);
  await unpackIfBootloader(ctx, file);
  return true;
}

/**
 * Fetches `files` with at most `concurrency` transfers at once. Each file is verified and
 * published by the download itself (partial → rename) and then recorded as synced on this
 * region; a failed file is an error event and the others carry on. Rejects only when aborted.
 */
export async function downloadFiles(
  ctx: DownloadContext,
  files: readonly WantedFile[],
): Promise<{ ok: number; failed: WantedFile[] }> {
  const queue = [...files];
  const failed: WantedFile[] = [];
  let ok = 0;
  // Progress events at each quarter, so the event log shows a long import moving.
  let reported = Math.floor(ctx.progress.snapshot().percent / 25);
  const worker = async (): Promise<void> => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      if (ctx.signal.aborted) return;
      if (await downloadOne(ctx, file)) ok += 1;
      else failed.push(file);
      const snap = ctx.progress.snapshot();
      const quarter = Math.floor(snap.percent / 25);
      if (quarter > reported && quarter < 4) {
        reported = quarter;
        await recordEvent(ctx.db, {
          type: 'Image import progress',
          description: `${snap.percent.toFixed(1)}% of ${snap.totalBytes} bytes (${snap.filesDone} of ${snap.filesTotal} files)`,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, ctx.concurrency) }, worker));
  if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('aborted');
  return { ok, failed };
}
