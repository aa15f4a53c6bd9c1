import { createCleartextMessage, generateKey, sign, type PrivateKey } from 'openpgp';

/** Wraps `text` in an OpenPGP cleartext signature (the `.sjson` form). */
export async function signCleartext(text: string, key: PrivateKey): Promise<string> {
  const message = await createCleartextMessage({ text });
  return sign({ message, signingKeys: key });
}

export interface GeneratedKey {
  /** Armored secret key, unencrypted: for `--sign-key`. */
  readonly privateKeyArmored: string;
  readonly publicKeyArmored: string;
  /** Binary public keyring, as `gpg --export` writes it: for `gpgv --keyring` and Kiln boot sources. */
  readonly publicKeyring: Uint8Array;
  readonly fingerprint: string;
  readonly keyId: string;
}

export interface GenerateKeyOptions {
  readonly name?: string;
  readonly email?: string;
  /** Lifetime in seconds (default: no expiry). */
  readonly expiresInSeconds?: number;
  readonly date?: Date;
}

/** Makes an Ed25519 signing key that GnuPG 2.2+ and openpgp.js both accept. */
export async function generateSigningKey(options: GenerateKeyOptions = {}): Promise<GeneratedKey> {
  const { privateKey, publicKey } = await generateKey({
    type: 'ecc',
    curve: 'ed25519Legacy',
    userIDs: [
      {
        name: options.name ?? 'Kiln stream signing key',
        email: options.email ?? 'stream-signing@kiln.invalid',
      },
    ],
    format: 'object',
    ...(options.expiresInSeconds === undefined
      ? {}
      : { keyExpirationTime: options.expiresInSeconds }),
    ...(options.date === undefined ? {} : { date: options.date }),
  });
  return {
    privateKeyArmored: privateKey.armor(),
    publicKeyArmored: publicKey.armor(),
    publicKeyring: publicKey.write(),
    fingerprint: publicKey.getFingerprint().toUpperCase(),
    keyId: publicKey.getKeyID().toHex().toUpperCase(),
  };
}
