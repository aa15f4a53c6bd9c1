import { readFile } from 'node:fs/promises';
import { safeJoin } from '@kiln/node-kit';
import type { PrivateKey } from 'openpgp';
import { parseIndexDoc } from '../documents/parse-document.js';
import { unsignedPath } from '../documents/serialize.js';
import { inputFault } from '../stream-error.js';
import { checkItemPath } from '../url/item-path.js';
import { cleartextPayload, isCleartextSigned } from '../verify/cleartext.js';
import { loadSigningKey } from '../verify/keyring.js';
import { writeStreamDocuments, type DocumentToWrite } from './write-documents.js';

async function readText(root: string, path: string): Promise<string | undefined> {
  try {
    const text = await readFile(safeJoin(root, path), 'utf8');
    return isCleartextSigned(text) ? await cleartextPayload(text, path) : text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The JSON text of a document, from its `.json` form or else the payload of its `.sjson` form. */
async function readDocumentText(root: string, path: string): Promise<string> {
  const json = unsignedPath(path);
  const text =
    (await readText(root, json)) ?? (await readText(root, json.replace(/\.json$/, '.sjson')));
  if (text === undefined) throw inputFault('STREAM_TREE_INVALID', `${root}: ${path} is missing`);
  return text;
}

/**
 * (Re)signs a stream tree in place with `key`: every products document listed by the index gets
 * a fresh `.sjson` (and a `.json` if it had none), then the index. Payloads are kept byte for byte.
 */
export async function signTree(
  root: string,
  signKey: string | Uint8Array | PrivateKey,
): Promise<string[]> {
  const key = await loadSigningKey(signKey);
  const indexText = await readDocumentText(root, 'streams/v1/index.json');
  const index = parseIndexDoc(indexText, 'streams/v1/index.json');
  const docs: DocumentToWrite[] = [];
  for (const [contentId, entry] of Object.entries(index.index)) {
    checkItemPath(entry.path, `index entry ${contentId}`);
    docs.push({ path: unsignedPath(entry.path), text: await readDocumentText(root, entry.path) });
  }
  return writeStreamDocuments(root, index, docs, key);
}
