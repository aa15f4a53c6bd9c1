import type { Logger } from 'pino';
import { parseIndexDoc, parseProductsDoc } from '../documents/parse-document.js';
import type { IndexDoc, IndexEntry, ProductsDoc } from '../documents/schemas.js';
import { flattenProducts, type FlatItem } from '../model/flatten.js';
import { inputFault } from '../stream-error.js';
import { checkItemPath } from '../url/item-path.js';
import { resolveMirrorUrl } from '../url/resolve-mirror-url.js';
import { loadKeyring, type KeyringSource } from '../verify/keyring.js';
import { readDocument, type StreamDocument } from './read-document.js';

/** `auto` follows MAAS: an index URL ending in `.json` is read unsigned, anything else must be signed. */
export type SignaturePolicy = 'auto' | 'signed' | 'unsigned';

export interface ReadStreamOptions {
  readonly keyring?: KeyringSource | undefined;
  readonly policy?: SignaturePolicy;
  readonly logger?: Logger | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Only read products documents whose content id passes (default: all). */
  readonly contentIds?: (contentId: string, entry: IndexEntry) => boolean;
  /** Check key validity at this date (default now). */
  readonly date?: Date;
  readonly retries?: number;
}

export interface StreamProducts {
  readonly contentId: string;
  readonly document: StreamDocument;
  readonly doc: ProductsDoc;
  /** Every item, flattened (all versions). */
  readonly items: readonly FlatItem[];
}

export interface StreamRead {
  readonly root: URL;
  readonly indexPath: string;
  readonly signed: boolean;
  readonly index: IndexDoc;
  readonly indexDocument: StreamDocument;
  readonly products: readonly StreamProducts[];
}

function checkPaths(items: readonly FlatItem[]): void {
  for (const item of items) {
    if (item.path !== undefined) {
      checkItemPath(item.path, `${item.product_name} ${item.version_name} ${item.item_name}`);
    }
  }
}

/**
 * Reads and validates a whole stream: the index and every products document it lists, each
 * signature-checked under the policy, every path confined to the mirror root. Nothing is cached
 * or written; any failure rejects the whole read.
 */
export async function readStream(
  location: string | URL,
  options: ReadStreamOptions = {},
): Promise<StreamRead> {
  const { root, indexPath, unsignedByUrl } = resolveMirrorUrl(location);
  const policy = options.policy ?? 'auto';
  const signed = policy === 'signed' || (policy === 'auto' && !unsignedByUrl);
  if (signed && options.keyring === undefined) {
    throw inputFault(
      'STREAM_KEYRING_REQUIRED',
      `${root.href}${indexPath} is a signed stream: a keyring is required`,
    );
  }
  const keyring =
    signed && options.keyring !== undefined ? await loadKeyring(options.keyring) : undefined;
  const readOptions = {
    keyring,
    logger: options.logger,
    signal: options.signal,
    date: options.date,
    ...(options.retries === undefined ? {} : { retries: options.retries }),
  };
  const indexDocument = await readDocument(root, indexPath, readOptions);
  const index = parseIndexDoc(indexDocument.text, indexPath);
  const entries = Object.entries(index.index).filter(([id, entry]) => {
    if (entry.format !== undefined && entry.format !== 'products:1.0') {
      // Nested indexes and other formats are not used by MAAS mirrors; skip rather than fail.
      options.logger?.warn(
        { contentId: id, format: entry.format },
        'skipping index entry of unknown format',
      );
      return false;
    }
    return options.contentIds?.(id, entry) ?? true;
  });
  for (const [contentId, entry] of entries)
    checkItemPath(entry.path, `${indexPath} entry ${contentId}`);
  const products: StreamProducts[] = [];
  for (const [contentId, entry] of entries) {
    const document = await readDocument(root, entry.path, readOptions);
    const doc = parseProductsDoc(document.text, entry.path);
    const items = flattenProducts(doc);
    checkPaths(items);
    products.push({ contentId, document, doc, items });
  }
  options.logger?.info(
    { root: root.href, index: indexPath, signed, documents: products.length + 1 },
    signed ? 'stream read and verified' : 'stream read (unsigned policy)',
  );
  return { root, indexPath, signed, index, indexDocument, products };
}

/** Every flattened item of a read stream. */
export function allItems(stream: StreamRead): FlatItem[] {
  return stream.products.flatMap((p) => p.items);
}
