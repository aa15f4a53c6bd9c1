import type { PrivateKey } from 'openpgp';
import type { Logger } from 'pino';
import type { IndexDoc } from '../documents/schemas.js';
import { parseItemFilter, type ItemFilter } from '../model/item-filter.js';
import { readStream, type ReadStreamOptions } from '../read/index.js';
import { mirrorFault } from '../stream-error.js';
import { loadSigningKey } from '../verify/keyring.js';
import type { StreamFile } from '../read/download-stream-file.js';
import { fetchItem } from './fetch-item.js';
import { previousMirrorPaths, pruneMirror } from './prune.js';
import {
  writeMirrorDocuments,
  type DocumentSigning,
  type WrittenDocument,
} from './mirror-documents.js';
import { trimProducts, type TrimmedProducts } from './trim.js';

export interface MirrorProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly currentPath: string | undefined;
}

export interface MirrorOptions extends Omit<ReadStreamOptions, 'contentIds'> {
  /** sstream-query style filters (`key=value`, `key!=value`, `key~re`, `key!~re`) on flattened items. */
  readonly filters?: readonly (ItemFilter | string)[];
  readonly maxVersions?: number | undefined;
  /** Key to re-sign documents that the filters changed; without it they are written unsigned. */
  readonly signKey?: string | Uint8Array | PrivateKey | undefined;
  readonly onProgress?: (progress: MirrorProgress) => void;
  /** Delete files the previous mirror listed and this one no longer does (default true). */
  readonly prune?: boolean;
}

export interface MirrorResult {
  /** Index path (relative to the mirror root) to point a boot source at. */
  readonly indexPath: string;
  /** How the index is signed: kept from upstream, re-signed with the given key, or unsigned. */
  readonly signing: DocumentSigning;
  readonly documents: readonly WrittenDocument[];
  readonly files: {
    total: number;
    present: number;
    downloaded: number;
    resumed: number;
    bytes: number;
    pruned: number;
  };
}

function updatedIndex(
  index: IndexDoc,
  trimmed: ReadonlyMap<string, TrimmedProducts>,
): { index: IndexDoc; changed: boolean } {
  const entries: IndexDoc['index'] = {};
  let changed = false;
  for (const [id, entry] of Object.entries(index.index)) {
    const t = trimmed.get(id);
    if (t === undefined || Object.keys(t.doc.products).length === 0) {
      changed = true;
      continue;
    }
    if (t.changed && entry.products !== undefined) {
      const products = Object.keys(t.doc.products).sort();
      if (products.join('\n') !== [...entry.products].sort().join('\n')) changed = true;
      entries[id] = { ...entry, products };
    } else entries[id] = entry;
  }
  return { index: { ...index, index: entries }, changed };
}

function plannedFiles(trimmed: Iterable<TrimmedProducts>): StreamFile[] {
  const files = new Map<string, StreamFile>();
  for (const t of trimmed) {
    for (const item of t.items) {
      if (item.path === undefined) continue;
      const where = `${item.product_name} ${item.version_name} ${item.item_name}`;
      if (item.sha256 === undefined || item.size === undefined) {
        throw mirrorFault(
          'STREAM_ITEM_INVALID',
          `${where}: items with a path need sha256 and size`,
          { path: item.path },
        );
      }
      files.set(item.path, {
        path: item.path,
        sha256: item.sha256.toLowerCase(),
        size: Number(item.size),
      });
    }
  }
  return [...files.values()];
}

/**
 * Mirrors a stream into `outDir`: reads and verifies every document first (nothing is written if
 * any check fails), trims to the filters and `maxVersions`, downloads missing files with sha256
 * checks and Range resume, then writes the documents. Re-running only fetches what is missing.
 */
export async function mirrorStream(
  source: string | URL,
  outDir: string,
  options: MirrorOptions = {},
): Promise<MirrorResult> {
  const logger: Logger | undefined = options.logger;
  const filters = (options.filters ?? []).map((f) =>
    typeof f === 'string' ? parseItemFilter(f) : f,
  );
  const key = options.signKey === undefined ? undefined : await loadSigningKey(options.signKey);
  const stream = await readStream(source, options);
  const trimmed = new Map<string, TrimmedProducts>();
  for (const p of stream.products) {
    trimmed.set(p.contentId, trimProducts(p.doc, { filters, maxVersions: options.maxVersions }));
  }
  const { index, changed: indexChanged } = updatedIndex(stream.index, trimmed);
  const files = plannedFiles(trimmed.values());
  const counts = {
    total: files.length,
    present: 0,
    downloaded: 0,
    resumed: 0,
    bytes: 0,
    pruned: 0,
  };
  // Read before the new documents replace them: they say which files the old mirror owned.
  const previous = options.prune === false ? undefined : await previousMirrorPaths(outDir, logger);
  const bytesTotal = files.reduce((sum, f) => sum + f.size, 0);
  let bytesDone = 0;
  const report = (currentPath: string | undefined, extra = 0): void =>
    options.onProgress?.({
      filesDone: counts.present + counts.downloaded + counts.resumed,
      filesTotal: files.length,
      bytesDone: bytesDone + extra,
      bytesTotal,
      currentPath,
    });
  report(undefined);
  for (const file of files) {
    const outcome = await fetchItem(stream.root, outDir, file, {
      signal: options.signal,
      logger,
      retries: options.retries,
      onBytes: (received) => report(file.path, received),
    });
    counts[outcome] += 1;
    if (outcome !== 'present') counts.bytes += file.size;
    bytesDone += file.size;
    logger?.debug({ path: file.path, outcome }, 'mirror file');
    report(file.path);
  }
  const written = await writeMirrorDocuments(outDir, { stream, trimmed, index, indexChanged, key });
  if (previous !== undefined) {
    counts.pruned = await pruneMirror(outDir, previous, new Set(files.map((f) => f.path)), logger);
  }
  const signing =
    written.documents.find((d) => d.path === written.indexPath)?.signing ?? 'upstream';
  logger?.info({ outDir, indexPath: written.indexPath, signing, ...counts }, 'mirror updated');
  return { indexPath: written.indexPath, signing, documents: written.documents, files: counts };
}
