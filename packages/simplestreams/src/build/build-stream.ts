import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { safeJoin, type FileDigest } from '@kiln/node-kit';
import type { Logger } from 'pino';
import type { PrivateKey } from 'openpgp';
import type { IndexDoc } from '../documents/schemas.js';
import { rfc2822, serializeDocument } from '../documents/serialize.js';
import { inputFault } from '../stream-error.js';
import { checkItemPath } from '../url/item-path.js';
import { loadSigningKey } from '../verify/keyring.js';
import { copyWithDigest } from './copy-with-digest.js';
import { loadManifest, type Manifest } from './manifest.js';
import { writeStreamDocuments, type DocumentToWrite } from './write-documents.js';

export interface BuildStreamOptions {
  /** A parsed manifest, or the path of a YAML manifest. */
  readonly manifest: Manifest | string;
  /** Folder that item `file`s are relative to (default: the manifest's folder, or the cwd). */
  readonly baseDir?: string;
  readonly outDir: string;
  /** Secret key (path, bytes or key) to also write signed `.sjson` documents. */
  readonly signKey?: string | Uint8Array | PrivateKey | undefined;
  readonly date?: Date;
  readonly logger?: Logger | undefined;
}

export interface BuildStreamResult {
  readonly indexPath: string;
  readonly documents: readonly string[];
  readonly files: number;
  readonly bytes: number;
}

interface PlannedFile {
  readonly source: string;
  readonly path: string;
}

function plan(manifest: Manifest, baseDir: string): Map<string, PlannedFile> {
  const files = new Map<string, PlannedFile>();
  for (const [contentId, content] of Object.entries(manifest.content)) {
    if (contentId.includes('/') || contentId.startsWith('.')) {
      throw inputFault(
        'STREAM_MANIFEST_INVALID',
        `content id ${JSON.stringify(contentId)} cannot name a file`,
      );
    }
    for (const [name, product] of Object.entries(content.products)) {
      for (const [version, v] of Object.entries(product.versions)) {
        for (const [itemName, item] of Object.entries(v.items)) {
          checkItemPath(item.path, `${name} ${version} ${itemName}`);
          const source = resolve(baseDir, item.file);
          const seen = files.get(item.path);
          if (seen !== undefined && seen.source !== source) {
            throw inputFault(
              'STREAM_MANIFEST_INVALID',
              `path ${item.path} is given two different files`,
            );
          }
          files.set(item.path, { source, path: item.path });
        }
      }
    }
  }
  return files;
}

function productsDocument(
  contentId: string,
  manifest: Manifest,
  digests: Map<string, FileDigest>,
  updated: string,
): unknown {
  const content = manifest.content[contentId];
  const products: Record<string, unknown> = {};
  for (const [name, { versions, ...productFields }] of Object.entries(content?.products ?? {})) {
    const outVersions: Record<string, unknown> = {};
    for (const [version, { items, ...versionFields }] of Object.entries(versions)) {
      const outItems: Record<string, unknown> = {};
      for (const [itemName, { file: _file, ...itemFields }] of Object.entries(items)) {
        const digest = digests.get(itemFields.path);
        outItems[itemName] = { ...itemFields, sha256: digest?.sha256, size: digest?.size };
      }
      outVersions[version] = { ...versionFields, items: outItems };
    }
    products[name] = { ...productFields, versions: outVersions };
  }
  return {
    content_id: contentId,
    datatype: content?.datatype,
    format: 'products:1.0',
    updated,
    products,
  };
}

/**
 * Builds a complete stream tree from a manifest: files copied under the root with sha256 and size
 * computed while copying, products documents and index as `.json`, plus signed `.sjson` when a
 * key is given. Every input is checked before anything is written.
 */
export async function buildStream(options: BuildStreamOptions): Promise<BuildStreamResult> {
  const manifest =
    typeof options.manifest === 'string' ? await loadManifest(options.manifest) : options.manifest;
  const baseDir =
    options.baseDir ??
    (typeof options.manifest === 'string' ? dirname(resolve(options.manifest)) : process.cwd());
  const files = plan(manifest, baseDir);
  for (const file of files.values()) {
    safeJoin(options.outDir, file.path);
    const info = await stat(file.source).catch(() => undefined);
    if (info?.isFile() !== true) {
      throw inputFault(
        'STREAM_MANIFEST_INVALID',
        `${file.path}: source file ${file.source} does not exist`,
      );
    }
  }
  const key = options.signKey === undefined ? undefined : await loadSigningKey(options.signKey);
  const updated = manifest.updated ?? rfc2822(options.date ?? new Date());
  const digests = new Map<string, FileDigest>();
  let bytes = 0;
  for (const file of files.values()) {
    const digest = await copyWithDigest(file.source, safeJoin(options.outDir, file.path));
    digests.set(file.path, digest);
    bytes += digest.size;
    options.logger?.debug({ path: file.path, ...digest }, 'file added');
  }
  const index: IndexDoc = { format: 'index:1.0', updated, index: {} };
  const docs: DocumentToWrite[] = [];
  for (const [contentId, content] of Object.entries(manifest.content)) {
    const path = `streams/v1/${contentId}.json`;
    docs.push({
      path,
      text: serializeDocument(productsDocument(contentId, manifest, digests, updated)),
    });
    index.index[contentId] = {
      datatype: content.datatype,
      format: 'products:1.0',
      path,
      products: Object.keys(content.products).sort(),
      updated,
    };
  }
  const documents = await writeStreamDocuments(options.outDir, index, docs, key);
  const indexPath = key === undefined ? 'streams/v1/index.json' : 'streams/v1/index.sjson';
  options.logger?.info(
    { outDir: options.outDir, files: files.size, bytes, signed: key !== undefined },
    'stream built',
  );
  return { indexPath, documents, files: files.size, bytes };
}
