import { readCleartextMessage, verify, type Key } from 'openpgp';
import { mirrorFault } from '../stream-error.js';
import type { Keyring } from './keyring.js';

export const CLEARTEXT_HEADER = '-----BEGIN PGP SIGNED MESSAGE-----';

export interface VerifiedText {
  /** The signed text with dash-escaping removed. */
  readonly text: string;
  /** Upper-case hex id of the key that made the valid signature. */
  readonly keyId: string;
}

export interface VerifyOptions {
  /** Name of the document for error messages, e.g. `streams/v1/index.sjson`. */
  readonly document?: string;
  /** Check key validity at this date (default now). */
  readonly date?: Date;
}

export function isCleartextSigned(text: string): boolean {
  return text.trimStart().startsWith(CLEARTEXT_HEADER);
}

function inKeyring(keys: readonly Key[], keyIdHex: string): boolean {
  return keys.some((key) => key.getKeyIDs().some((id) => id.toHex().toUpperCase() === keyIdHex));
}

/**
 * Verifies an OpenPGP cleartext-signed document. Succeeds when at least one signature is valid
 * and made by a key in the keyring that is neither expired nor revoked; otherwise throws an error
 * that says whether the signature is missing, bad, from an unknown key, or from an expired or
 * revoked key.
 */
export async function verifyCleartext(
  text: string,
  keyring: Keyring,
  options: VerifyOptions = {},
): Promise<VerifiedText> {
  const document = options.document ?? 'document';
  if (!isCleartextSigned(text)) {
    throw mirrorFault('STREAM_SIGNATURE_MISSING', `${document} has no OpenPGP signature`, {
      document,
    });
  }
  let message;
  try {
    message = await readCleartextMessage({ cleartextMessage: text });
  } catch (error) {
    throw mirrorFault(
      'STREAM_SIGNATURE_BAD',
      `${document}: malformed signature: ${(error as Error).message}`,
      {
        document,
      },
    );
  }
  const date = options.date ?? new Date();
  const result = await verify({
    message,
    verificationKeys: [...keyring.keys],
    date,
  });
  const unknown: string[] = [];
  const failures: { keyId: string; reason: string }[] = [];
  for (const signature of result.signatures) {
    const keyId = signature.keyID.toHex().toUpperCase();
    if (!inKeyring(keyring.keys, keyId)) {
      unknown.push(keyId);
      continue;
    }
    try {
      await signature.verified;
      // openpgp.js judges the key at the signature's creation time; a boot source must also refuse
      // keys that have expired or been revoked since, so check the signing key again at `date`.
      const key = keyring.keys.find((k) => k.getKeyIDs().some((id) => id.equals(signature.keyID)));
      await key?.getSigningKey(signature.keyID, date);
      return { text: result.data, keyId };
    } catch (error) {
      failures.push({ keyId, reason: (error as Error).message });
    }
  }
  const failure = failures[0];
  if (failure !== undefined) {
    const code = /expired/i.test(failure.reason)
      ? 'STREAM_KEY_EXPIRED'
      : /revoked/i.test(failure.reason)
        ? 'STREAM_KEY_REVOKED'
        : 'STREAM_SIGNATURE_BAD';
    const what = code === 'STREAM_SIGNATURE_BAD' ? 'bad signature' : 'signing key refused';
    throw mirrorFault(code, `${document}: ${what} from key ${failure.keyId}: ${failure.reason}`, {
      document,
      keyId: failure.keyId,
    });
  }
  if (unknown.length > 0) {
    throw mirrorFault(
      'STREAM_SIGNATURE_UNKNOWN_KEY',
      `${document} is signed by key ${unknown.join(', ')}, which is not in the keyring`,
      { document, keyIds: unknown },
    );
  }
  throw mirrorFault('STREAM_SIGNATURE_MISSING', `${document} has no OpenPGP signature`, {
    document,
  });
}

/** The payload of a cleartext-signed document without checking it (for the unsigned policy). */
export async function cleartextPayload(text: string, document = 'document'): Promise<string> {
  try {
    return (await readCleartextMessage({ cleartextMessage: text })).getText();
  } catch (error) {
    throw mirrorFault(
      'STREAM_SIGNATURE_BAD',
      `${document}: malformed signed document: ${(error as Error).message}`,
      {
        document,
      },
    );
  }
}
