import type { Logger } from 'pino';
import { AppError, isAppError } from '@kiln/node-kit';
import type { BootSourceOffer } from '@kiln/protocol';
import { nowIso } from '../../db/index.js';
import { validationError } from '../../domain-errors.js';
import { getBootSource, normaliseSourceUrl, type BootSourceRow } from '../../boot-sources/index.js';
import type { RegionContext } from '../../region-context.js';
import { imageServiceFor } from '../image-services.js';
import { readSource } from '../importer/read-sources.js';
import { cacheRowsOf, listSourceCache, refreshSourceCache } from './source-cache.js';
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

/** What to read instead of the saved source: Connect in the UI tries a URL and keyring unsaved. */
export interface SourceCandidate {
  readonly url?: string | undefined;
  readonly keyringFilename?: string | undefined;
  readonly keyringData?: Buffer | undefined;
}

function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The saved source with the candidate's fields laid over it, by the form's rules: new keyring
 * data replaces the file name and the other way round; no keyring given keeps the saved one.
 */
function candidateRow(source: BootSourceRow, candidate: SourceCandidate): BootSourceRow {
  const url = candidate.url === undefined ? source.url : normaliseSourceUrl(candidate.url);
  if (!isHttpUrl(url)) throw validationError({ url: ['Enter a valid URL.'] });
  const data = candidate.keyringData;
  const file = candidate.keyringFilename;
  if (data !== undefined && data.length > 0 && file !== undefined && file !== '')
    throw validationError({
      __all__: ['Only one of keyring_filename or keyring_data can be specified.'],
    });
  const keyring =
    data !== undefined && data.length > 0
      ? { keyring_filename: '', keyring_data: data }
      : file !== undefined && file !== ''
        ? { keyring_filename: file, keyring_data: Buffer.alloc(0) }
        : { keyring_filename: source.keyring_filename, keyring_data: source.keyring_data };
  // `updated` older than any read, so the offer built below is not discarded as stale.
  return { ...source, url, ...keyring, updated: '' };
}

/** Reads one source (saved or candidate) within the timeout and the region's lifetime. */
async function readBounded(
  region: RegionContext,
  source: BootSourceRow,
  logger: Logger,
  timeoutSeconds: number,
): Promise<Awaited<ReturnType<typeof readSource>>> {
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
  try {
    return await readSource(source, logger, controller.signal, 1);
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
}

/**
 * Reads what a boot source offers now, verified exactly as the import verifies it (same reader,
 * same keyring), refreshes the source's cache (which the selection validator uses) and returns the
 * offer. The whole read is bounded by `timeoutSeconds`: a stalled mirror is aborted at the socket.
 *
 * With a candidate (a URL and/or keyring not saved yet) the candidate is read the same way and
 * its offer returned, but nothing is stored: neither the source nor its cache changes, so a
 * mistyped URL costs the operator nothing.
 */
export async function fetchSourceOffer(
  region: RegionContext,
  sourceId: number,
  logger: Logger,
  timeoutSeconds = FETCH_TIMEOUT_SECONDS,
  candidate?: SourceCandidate,
): Promise<BootSourceOffer> {
  const saved = await getBootSource(region.db, sourceId);
  if (candidate !== undefined) {
    const source = candidateRow(saved, candidate);
    const images = await readBounded(region, source, logger, timeoutSeconds);
    logger.info(
      { source: source.url, resources: images.resources.length },
      'unsaved boot source read',
    );
    return offerFromCache(source, cacheRowsOf(images.resources, nowIso()));
  }
  const images = await readBounded(region, saved, logger, timeoutSeconds);
  await refreshSourceCache(region.db, saved.id, images.resources);
  logger.info({ source: saved.url, resources: images.resources.length }, 'boot source fetched');
  return offerFromCache(saved, await listSourceCache(region.db, saved.id));
}

/** The offer as last read (by an import or a fetch), without touching the network. */
export async function cachedSourceOffer(
  region: RegionContext,
  sourceId: number,
): Promise<BootSourceOffer> {
  const source = await getBootSource(region.db, sourceId);
  return offerFromCache(source, await listSourceCache(region.db, source.id));
}
