import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import {
  allItems,
  latestVersions,
  mapToBootResources,
  readStream,
  type BootResource,
} from '@kiln/simplestreams';
import { listBootSources, type BootSourceRow } from '../../boot-sources/index.js';
import type { Database } from '../../db/index.js';

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

/** A source's keyring: its stored bytes when it has them, otherwise its keyring file. */
export function keyringOf(source: BootSourceRow): Uint8Array | string {
  const data = Buffer.from(source.keyring_data);
  return data.length > 0 ? new Uint8Array(data) : source.keyring_filename;
}

/**
 * Reads every boot source in id order (earlier sources win later), each verified against its
 * own keyring by the simplestreams library. A source that fails is reported, not fatal: the
 * other sources still import.
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
      const stream = await readStream(source.url, {
        keyring: keyringOf(source),
        logger,
        signal,
      });
      const warn = (message: string, context?: Readonly<Record<string, unknown>>): void => {
        logger.debug({ ...context, source: source.url }, message);
      };
      images.push({
        source,
        root: stream.root,
        resources: mapToBootResources(latestVersions(allItems(stream)), warn),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      failures.push({ source, error });
    }
  }
  return { images, failures };
}
