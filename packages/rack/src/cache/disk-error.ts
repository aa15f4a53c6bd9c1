import { statfs } from 'node:fs/promises';
import { AppError } from '@kiln/node-kit';
import type { Logger } from 'pino';

const FULL = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Turns a failed write into an AppError that ends the fetch (a full disk does not get better by
 * asking the region again) and names the folder and its free space, so an operator reading the
 * log or the client's error knows which disk to look at.
 */
export async function diskError(
  error: unknown,
  dir: string,
  sha256: string,
  logger: Logger,
): Promise<AppError> {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const info = await statfs(dir).catch(() => undefined);
  const freeBytes = info === undefined ? undefined : info.bavail * info.bsize;
  const details = { sha256, dir, freeBytes, errno: code };
  if (FULL.has(code)) {
    logger.error(details, 'boot file cache disk is full');
    return new AppError(
      'CACHE_DISK_FULL',
      `The boot file cache disk is full (${dir}, ${freeBytes ?? '?'} bytes free)`,
      { details, cause: error },
    );
  }
  logger.error({ ...details, err: error }, 'boot file cache write failed');
  return new AppError('CACHE_WRITE_FAILED', `Could not write to the boot file cache in ${dir}`, {
    details,
    cause: error,
  });
}
