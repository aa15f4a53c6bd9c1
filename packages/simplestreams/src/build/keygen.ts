import { join } from 'node:path';
import { atomicWriteFile } from '@kiln/node-kit';
import { generateSigningKey, type GenerateKeyOptions, type GeneratedKey } from '../verify/sign.js';

export interface KeyFiles extends GeneratedKey {
  /** Armored secret key (mode 0600): pass to `--sign-key`. */
  readonly secretKeyPath: string;
  /** Binary public keyring: for `gpgv --keyring` and Kiln boot sources (`--keyring`). */
  readonly keyringPath: string;
  readonly publicKeyPath: string;
}

/** Generates a signing key and writes `signing-key.asc`, `keyring.gpg` and `public-key.asc` in `dir`. */
export async function writeSigningKeyFiles(
  dir: string,
  options: GenerateKeyOptions = {},
): Promise<KeyFiles> {
  const key = await generateSigningKey(options);
  const secretKeyPath = join(dir, 'signing-key.asc');
  const keyringPath = join(dir, 'keyring.gpg');
  const publicKeyPath = join(dir, 'public-key.asc');
  await atomicWriteFile(secretKeyPath, key.privateKeyArmored, { mode: 0o600 });
  await atomicWriteFile(keyringPath, key.publicKeyring);
  await atomicWriteFile(publicKeyPath, key.publicKeyArmored);
  return { ...key, secretKeyPath, keyringPath, publicKeyPath };
}
