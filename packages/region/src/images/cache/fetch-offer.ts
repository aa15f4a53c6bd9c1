import type { Logger } from 'pino';
import { AppError, isAppError } from '@kiln/node-kit';
import type { BootSourceOffer } from '@kiln/protocol';
import { getBootSource, type BootSourceRow } from '../../boot-sources/index.js';
import type { RegionContext } from '../../region-context.js';
import { imageServiceFor } from '../image-services.js';
import { readSource } from '../importer/read-sources.js';
import { listSourceCache, refreshSourceCache } from './source-cache.js';
import { offerFromCache } from './source-offer.js';

/** How long `op=fetch` waits for a source by default; an operator is waiting on the page. */
export const FETCH_TIMEOUT_SECONDS = 60;

class FetchTimeout extends Error {}

/** Turns a failed read into one of four clear answers; the cause's message says the detail. */
function fetchError(source: BootSourceRow, error: unknown, timeoutSeconds: number): AppError {
  const code = isAppError(error) ? error.code : '';
  const cause = (error as Error).message;
  if (error instanceof FetchTimeout || code === 'HTTP_TIMEOUT')
    return new AppError(
      'BOOT_SOURCE_FETCH_TIMEOUT',
      `Boot source ${source.url} did not answer within ${String(timeoutSeconds)} s.`,
      { cause: error },
    );
  if (code.startsWith('STREAM_SIGNATURE'))
    return new AppError(
      'BOOT_SOURCE_SIGNATURE_INVALID',
      `Boot source ${source.url} failed signature verification: ${cause}`,
      { cause: error },
    );
  if (code.startsWith('STREAM_KEYRING'))
    return new AppError(
      'BOOT_SOURCE_KEYRING_INVALID',
      `Boot source ${source.url} has no usable keyring: ${cause}`,
      { cause: error },
    );
  return new AppError(
    'BOOT_SOURCE_FETCH_FAILED',
    `Cannot read boot source ${source.url}: ${cause}`,
    { cause: error },
  );
}

/**
 * Reads what a boot source offers now, verified exactly as the import verifies it (same reader,
 * same keyring), refreshes the source's cache (which the selection validator uses) and returns the
 * offer. The whole read is bounded by `timeoutSeconds`: a stalled mirror is aborted at the socket.
 */
export async function fetchSourceOffer(
  region: RegionContext,
  sourceId: number,
  logger: Logger,
  timeoutSeconds = FETCH_TIMEOUT_SECONDS,
): Promise<BootSourceOffer> {
  const source = await getBootSource(region.db, sourceId);
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new FetchTimeout(`no answer within ${String(timeoutSeconds)} s`));
  }, timeoutSeconds * 1000);
  // A stopping region does not wait for a slow mirror (linked by hand: a plain listener is
  // removed in `finally`, where AbortSignal.any would keep one per fetch on the service signal).
  const closing = imageServiceFor(region).closingSignal;
  const stop = (): void => {
    controller.abort(closing.reason);
  };
  if (closing.aborted) stop();
  else closing.addEventListener('abort', stop, { once: true });
  let images;
  try {
    images = await readSource(source, logger, controller.signal, 1);
  } catch (error) {
    throw fetchError(
      source,
      controller.signal.aborted ? controller.signal.reason : error,
      timeoutSeconds,
    );
  } finally {
    clearTimeout(timer);
    closing.removeEventListener('abort', stop);
  }
  await refreshSourceCache(region.db, source.id, images.resources);
  logger.info({ source: source.url, resources: images.resources.length }, 'boot source fetched');
  return offerFromCache(source, await listSourceCache(region.db, source.id));
}

/** The offer as last read (by an import or a fetch), without touching the network. */
export async function cachedSourceOffer(
  region: RegionContext,
  sourceId: number,
): Promise<BootSourceOffer> {
  const source = await getBootSource(region.db, sourceId);
  return offerFromCache(source, await listSourceCache(region.db, source.id));
}
