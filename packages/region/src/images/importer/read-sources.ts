import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import {
  allItems,
  latestVersions,
  mapToBootResources,
  readStream,
  type BootResource,
} from '@kiln/simplestreams';
import { keyringFileFor, listBootSources, type BootSourceRow } from '../../boot-sources/index.js';
import type { Database } from '../../db/index.js';
import { withManifests } from './manifest-files.js';

export interface SourceImages {
  readonly source: BootSourceRow;
  readonly root: URL;
  /** Newest version of every product, mapped to MAAS boot resources. */
  readonly resources: readonly BootResource[];
}

export interface SourceFailure {
  readonly source: BootSourceRow;
  readonly error: unknown;
}

/**
 * A source's keyring: its stored bytes when it has them, otherwise its keyring file (Kiln's copy
 * of Ubuntu's cloud-image keyring where the source names the system one and it is not installed).
 */
export function keyringOf(source: BootSourceRow): Uint8Array | string {
  const data = Buffer.from(source.keyring_data);
  return data.length > 0 ? new Uint8Array(data) : keyringFileFor(source.keyring_filename);
}

/**
 * Reads one boot source, verified against its own keyring by the simplestreams library (index
 * and every products document), and maps the newest version of each product to boot resources.
 * The import and the API's `fetch` both read sources this way, so they accept the same streams.
 */
export async function readSource(
  source: BootSourceRow,
  logger: Logger,
  signal: AbortSignal,
  retries?: number,
): Promise<SourceImages> {
  const stream = await readStream(source.url, {
    keyring: keyringOf(source),
    logger,
    signal,
    ...(retries === undefined ? {} : { retries }),
  });
  const warn = (message: string, context?: Readonly<Record<string, unknown>>): void => {
    logger.debug({ ...context, source: source.url }, message);
  };
  const latest = latestVersions(allItems(stream));
  return {
    source,
    root: stream.root,
    resources: withManifests(mapToBootResources(latest, warn), latest),
  };
}

/**
 * Reads every boot source in id order (earlier sources win later). A source that fails is
 * reported, not fatal: the other sources still import.
 */
export async function readSources(
  db: Kysely<Database>,
  logger: Logger,
  signal: AbortSignal,
): Promise<{ images: SourceImages[]; failures: SourceFailure[] }> {
  const images: SourceImages[] = [];
  const failures: SourceFailure[] = [];
  for (const source of await listBootSources(db)) {
    try {
      images.push(await readSource(source, logger, signal));
    } catch (error) {
      if (signal.aborted) throw error;
      failures.push({ source, error });
    }
  }
  return { images, failures };
}
