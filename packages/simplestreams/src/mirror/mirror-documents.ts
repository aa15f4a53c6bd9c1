import { rm } from 'node:fs/promises';
import { atomicWriteFile, safeJoin } from '@kiln/node-kit';
import type { PrivateKey } from 'openpgp';
import type { IndexDoc } from '../documents/schemas.js';
import { serializeDocument, signedPath, unsignedPath } from '../documents/serialize.js';
import type { StreamDocument, StreamRead } from '../read/index.js';
import { signCleartext } from '../verify/sign.js';
import { indexWithPaths } from '../build/write-documents.js';
import type { TrimmedProducts } from './trim.js';

export type DocumentSigning = 'upstream' | 'resigned' | 'unsigned';

export interface WrittenDocument {
  readonly path: string;
  readonly signing: DocumentSigning;
}

export interface MirrorDocumentsPlan {
  readonly stream: StreamRead;
  readonly trimmed: ReadonlyMap<string, TrimmedProducts>;
  /** Index after dropping emptied entries and updating product lists. */
  readonly index: IndexDoc;
  readonly indexChanged: boolean;
  readonly key: PrivateKey | undefined;
}

/**
 * Writes the mirror's documents, products first and the index last. Unchanged documents keep the
 * upstream bytes (and so the upstream signature); changed ones are re-signed with `key`. Without a
 * key, a signed stream whose documents changed becomes an unsigned `.json` mirror.
 */
export async function writeMirrorDocuments(
  outDir: string,
  plan: MirrorDocumentsPlan,
): Promise<{
  indexPath: string;
  documents: WrittenDocument[];
}> {
  const { stream, trimmed, key } = plan;
  const anyChanged = plan.indexChanged || [...trimmed.values()].some((t) => t.changed);
  const unsigned = stream.signed && anyChanged && key === undefined;
  const documents: WrittenDocument[] = [];
  const put = async (
    path: string,
    data: string | Buffer,
    signing: DocumentSigning,
  ): Promise<void> => {
    await atomicWriteFile(safeJoin(outDir, path), data);
    documents.push({ path, signing });
  };
  const putChanged = async (path: string, text: string): Promise<void> => {
    if (!stream.signed || unsigned) return put(unsignedPath(path), text, 'unsigned');
    await put(unsignedPath(path), text, 'unsigned');
    await put(
      signedPath(unsignedPath(path)),
      await signCleartext(text, key as PrivateKey),
      'resigned',
    );
  };
  const putKept = async (doc: StreamDocument): Promise<void> =>
    unsigned
      ? put(unsignedPath(doc.path), doc.text, 'unsigned')
      : put(doc.path, doc.raw, stream.signed ? 'upstream' : 'unsigned');

  for (const products of stream.products) {
    const t = trimmed.get(products.contentId);
    if (t === undefined || Object.keys(t.doc.products).length === 0) continue;
    if (t.changed) await putChanged(products.document.path, serializeDocument(t.doc));
    else await putKept(products.document);
  }
  if (unsigned) {
    const indexPath = unsignedPath(stream.indexPath);
    await put(indexPath, serializeDocument(indexWithPaths(plan.index, false)), 'unsigned');
    // A stale signed index would be what a bare-root URL finds first.
    await rm(safeJoin(outDir, signedPath(indexPath)), { force: true });
    return { indexPath, documents };
  }
  if (!plan.indexChanged) {
    await putKept(stream.indexDocument);
  } else {
    await putChanged(stream.indexPath, serializeDocument(plan.index));
  }
  const indexPath =
    plan.indexChanged && stream.signed
      ? signedPath(unsignedPath(stream.indexPath))
      : plan.indexChanged
        ? unsignedPath(stream.indexPath)
        : stream.indexPath;
  // An index.json left by an earlier unsigned run would describe an older mirror.
  const staleUnsigned = unsignedPath(indexPath);
  if (stream.signed && !documents.some((d) => d.path === staleUnsigned)) {
    await rm(safeJoin(outDir, staleUnsigned), { force: true });
  }
  return { indexPath, documents };
}
