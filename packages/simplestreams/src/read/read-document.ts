import type { Logger } from 'pino';
import { checkItemPath, urlForPath } from '../url/item-path.js';
import { readLocation, type ReadLocationOptions } from '../url/read-location.js';
import { cleartextPayload, isCleartextSigned, verifyCleartext } from '../verify/cleartext.js';
import type { Keyring } from '../verify/keyring.js';

/** A document exactly as the mirror served it, and its JSON text. */
export interface StreamDocument {
  /** Path relative to the mirror root. */
  readonly path: string;
  readonly url: string;
  /** Bytes as served: a mirror keeps them to preserve the upstream signature. */
  readonly raw: Buffer;
  /** JSON text (the payload when signed). */
  readonly text: string;
  readonly signed: boolean;
  /** Id of the key whose signature was verified (signed policy only). */
  readonly keyId?: string;
}

export interface DocumentReadOptions extends ReadLocationOptions {
  /** A keyring means the signed policy: the document must carry a valid signature. */
  readonly keyring?: Keyring | undefined;
  readonly logger?: Logger | undefined;
  readonly date?: Date | undefined;
}

export async function readDocument(
  root: URL,
  path: string,
  options: DocumentReadOptions,
): Promise<StreamDocument> {
  checkItemPath(path, 'document path');
  const url = urlForPath(root, path);
  const raw = await readLocation(url, options);
  const body = raw.toString('utf8');
  if (options.keyring !== undefined) {
    const verified = await verifyCleartext(body, options.keyring, {
      document: path,
      ...(options.date === undefined ? {} : { date: options.date }),
    });
    options.logger?.debug({ document: path, keyId: verified.keyId }, 'signature verified');
    return { path, url: url.href, raw, text: verified.text, signed: true, keyId: verified.keyId };
  }
  // Unsigned policy: a signed document is still readable, its signature just is not checked.
  const signed = isCleartextSigned(body);
  const text = signed ? await cleartextPayload(body, path) : body;
  return { path, url: url.href, raw, text, signed };
}
