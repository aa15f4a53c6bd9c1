import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where Ubuntu's `ubuntu-cloudimage-keyring` package puts the keys that sign images.maas.io. */
export const SYSTEM_CLOUDIMAGE_KEYRING = '/usr/share/keyrings/ubuntu-cloudimage-keyring.gpg';

/**
 * Kiln's copy of the same two public keys (see keyrings/README.md for where it came from and how
 * its fingerprints were checked), so the default source verifies on distributions without
 * Ubuntu's package. The path is the same from src/ and dist/.
 */
export const BUNDLED_CLOUDIMAGE_KEYRING = fileURLToPath(
  new URL('../../keyrings/ubuntu-cloudimage-keyring.gpg', import.meta.url),
);

/**
 * The file a source's keyring file name is read from: the system keyring where it exists,
 * otherwise Kiln's copy when the source names the system keyring. Any other name is read as is,
 * so a missing custom keyring still fails loudly.
 */
export function keyringFileFor(filename: string): string {
  if (filename === SYSTEM_CLOUDIMAGE_KEYRING && !existsSync(filename))
    return BUNDLED_CLOUDIMAGE_KEYRING;
  return filename;
}
