import { readFile } from 'node:fs/promises';
import { readKeys, readPrivateKey, type Key, type PrivateKey } from 'openpgp';
import { inputFault } from '../stream-error.js';

/** Public keys that signatures are checked against. */
export interface Keyring {
  readonly keys: readonly Key[];
  /** Upper-case hex fingerprints of the primary keys, for messages and logs. */
  readonly fingerprints: readonly string[];
}

export type KeyringSource = Keyring | string | Uint8Array;

const ARMOR_BLOCK =
  /-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----/g;

function isArmored(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 256)).toString('latin1').includes('-----BEGIN PGP');
}

/**
 * Parses a keyring: binary OpenPGP packets as `gpg --export` writes them, or one or more
 * ASCII-armored public key blocks. GnuPG's keybox format (pubring.kbx) is not a keyring file.
 */
export async function parseKeyring(bytes: Uint8Array, origin = 'keyring'): Promise<Keyring> {
  let keys: Key[];
  try {
    if (isArmored(bytes)) {
      const blocks = Buffer.from(bytes).toString('utf8').match(ARMOR_BLOCK) ?? [];
      keys = (await Promise.all(blocks.map((armoredKeys) => readKeys({ armoredKeys })))).flat();
    } else if (Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'KBXf') {
      throw new Error('this is a GnuPG keybox; export it with `gpg --export > keyring.gpg`');
    } else {
      keys = await readKeys({ binaryKeys: bytes });
    }
  } catch (error) {
    throw inputFault(
      'STREAM_KEYRING_INVALID',
      `${origin} is not an OpenPGP keyring: ${(error as Error).message}`,
      {
        origin,
      },
      error,
    );
  }
  if (keys.length === 0)
    throw inputFault('STREAM_KEYRING_INVALID', `${origin} contains no public keys`, { origin });
  return { keys, fingerprints: keys.map((k) => k.getFingerprint().toUpperCase()) };
}

/** Loads a keyring from a file path, raw bytes, or passes an already loaded one through. */
export async function loadKeyring(source: KeyringSource): Promise<Keyring> {
  if (typeof source === 'string') {
    let bytes: Buffer;
    try {
      bytes = await readFile(source);
    } catch (error) {
      throw inputFault(
        'STREAM_KEYRING_INVALID',
        `Cannot read keyring ${source}: ${(error as Error).message}`,
        {
          origin: source,
        },
      );
    }
    return parseKeyring(bytes, source);
  }
  if (source instanceof Uint8Array) return parseKeyring(source);
  return source;
}

/** Loads an (unencrypted) secret signing key, armored or binary, from a path or bytes. */
export async function loadSigningKey(
  source: string | Uint8Array | PrivateKey,
): Promise<PrivateKey> {
  if (typeof source !== 'string' && !(source instanceof Uint8Array)) return source;
  const origin = typeof source === 'string' ? source : 'signing key';
  try {
    const bytes = typeof source === 'string' ? await readFile(source) : source;
    const key = isArmored(bytes)
      ? await readPrivateKey({ armoredKey: Buffer.from(bytes).toString('utf8') })
      : await readPrivateKey({ binaryKey: bytes });
    if (!key.isDecrypted()) throw new Error('the key is protected by a passphrase');
    return key;
  } catch (error) {
    throw inputFault(
      'STREAM_SIGNING_KEY_INVALID',
      `${origin} is not a usable secret key: ${(error as Error).message}`,
      {
        origin,
      },
      error,
    );
  }
}
