import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { AppError, ExternalError } from '../errors/index.js';
import { fsyncDirectory } from '../fs/index.js';
import { abortError, backoffDelay, isAborted, sleep, type RetryPolicy } from './backoff.js';
import {
  discardPartial,
  downloadAttempt,
  readValidator,
  validatorPath,
  type AttemptState,
} from './download-attempt.js';
import { FatalTransferError, isRetryable } from './http-errors.js';
import type { OpenRequestOptions } from './open-request.js';

export interface DownloadProgress {
  readonly url: string;
  readonly dest: string;
  /** Bytes present in the partial file, including resumed ones. */
  readonly received: number;
  readonly total: number | undefined;
  readonly resumedFrom: number;
  readonly attempt: number;
}

export interface DownloadOptions extends RetryPolicy, Omit<OpenRequestOptions, 'method'> {
  /** Expected hex sha256; the file is only published when it matches. */
  readonly sha256?: string | undefined;
  /** Expected size in bytes. */
  readonly size?: number | undefined;
  readonly onProgress?: (progress: DownloadProgress) => void;
  readonly logger?: Logger;
}

export interface DownloadResult {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  /** Offset of the first resumed request (0 when the file was fetched from the start). */
  readonly resumedFrom: number;
  readonly attempts: number;
}

function mismatch(
  dest: string,
  what: string,
  expected: string,
  actual: string,
): FatalTransferError {
  return new FatalTransferError(
    what === 'sha256' ? 'HTTP_CHECKSUM_MISMATCH' : 'HTTP_SIZE_MISMATCH',
    `${dest}: ${what} is ${actual}, expected ${expected}; the partial download was discarded`,
    { details: { file: dest, expected, actual } },
  );
}

/**
 * Downloads `url` to `dest` through `<dest>.partial`: resumes an existing partial with Range,
 * retries with backoff, checks size and sha256 while streaming, then fsyncs and renames. On a
 * checksum or size mismatch the partial is discarded and an AppError names the file; on other
 * failures the partial is kept so that a later call resumes it.
 */
export async function downloadFile(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const partial = `${dest}.partial`;
  await mkdir(dirname(dest), { recursive: true });
  const state: AttemptState = {
    url,
    partial,
    size: options.size,
    validator: await readValidator(partial),
  };
  const retries = options.retries ?? 5;
  let firstResume: number | undefined;
  let restartedClean = false;
  for (let attempt = 0; ; attempt++) {
    if (isAborted(options.signal)) throw abortError(options.signal);
    try {
      const onProgress = options.onProgress;
      const result = await downloadAttempt(
        state,
        options,
        onProgress === undefined
          ? undefined
          : (received, total, resumedFrom) =>
              onProgress({ url, dest, received, total, resumedFrom, attempt }),
      );
      firstResume ??= result.resumedFrom;
      const sizeBad = options.size !== undefined && result.size !== options.size;
      const shaBad = options.sha256 !== undefined && result.sha256 !== options.sha256.toLowerCase();
      if (sizeBad || shaBad) {
        await discardPartial(partial);
        state.validator = undefined;
        // Bytes kept from an earlier run may be stale; one clean restart tells that apart from a bad mirror.
        if (result.resumedFrom > 0 && !restartedClean) {
          restartedClean = true;
          options.logger?.warn({ url, dest }, 'resumed download did not verify; starting over');
          continue;
        }
        throw sizeBad
          ? mismatch(dest, 'size', String(options.size), String(result.size))
          : mismatch(dest, 'sha256', String(options.sha256), result.sha256);
      }
      await rename(partial, dest);
      await rm(validatorPath(partial), { force: true });
      await fsyncDirectory(dirname(dest));
      return {
        path: dest,
        sha256: result.sha256,
        size: result.size,
        resumedFrom: firstResume,
        attempts: attempt + 1,
      };
    } catch (error) {
      if (error instanceof AppError && error.code === 'HTTP_SIZE_MISMATCH')
        await discardPartial(partial);
      if (isAborted(options.signal)) throw abortError(options.signal);
      if (!isRetryable(error) || attempt >= retries) {
        if (error instanceof AppError) throw error;
        throw new ExternalError(
          'HTTP_DOWNLOAD_FAILED',
          `Downloading ${url} to ${dest} failed: ${(error as Error).message}`,
          {
            cause: error,
            details: { url, file: dest },
          },
        );
      }
      options.logger?.warn({ url, attempt, err: error }, 'download attempt failed; retrying');
      await sleep(backoffDelay(attempt, options), options.signal);
    }
  }
}
