import { atomicWriteFile, safeJoin } from '@kiln/node-kit';
import type { PrivateKey } from 'openpgp';
import type { IndexDoc } from '../documents/schemas.js';
import { serializeDocument, signedPath, unsignedPath } from '../documents/serialize.js';
import { signCleartext } from '../verify/sign.js';

export interface DocumentToWrite {
  /** The `.json` path relative to the root. */
  readonly path: string;
  readonly text: string;
}

/** Index with every entry path switched to `.json` or `.sjson`. */
export function indexWithPaths(index: IndexDoc, signed: boolean): IndexDoc {
  const entries: IndexDoc['index'] = {};
  for (const [id, entry] of Object.entries(index.index)) {
    entries[id] = {
      ...entry,
      path: signed ? signedPath(unsignedPath(entry.path)) : unsignedPath(entry.path),
    };
  }
  return { ...index, index: entries };
}

/**
 * Writes products documents and then the index (last, so a reader never sees an index that names
 * a document not yet written): `.json` always, and `.sjson` signed with `key` when given.
 * Returns the paths written.
 */
export async function writeStreamDocuments(
  root: string,
  index: IndexDoc,
  products: readonly DocumentToWrite[],
  key: PrivateKey | undefined,
  indexPath = 'streams/v1/index.json',
): Promise<string[]> {
  const written: string[] = [];
  const put = async (path: string, text: string): Promise<void> => {
    await atomicWriteFile(safeJoin(root, path), text);
    written.push(path);
  };
  for (const doc of products) {
    const jsonPath = unsignedPath(doc.path);
    await put(jsonPath, doc.text);
    if (key !== undefined) await put(signedPath(jsonPath), await signCleartext(doc.text, key));
  }
  const unsignedIndex = unsignedPath(indexPath);
  await put(unsignedIndex, serializeDocument(indexWithPaths(index, false)));
  if (key !== undefined) {
    await put(
      signedPath(unsignedIndex),
      await signCleartext(serializeDocument(indexWithPaths(index, true)), key),
    );
  }
  return written;
}
