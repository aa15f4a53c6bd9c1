import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * The sources that decide the bytes of the root-tgz, kernel and bootloaders (the slow mmdebstrap
 * part), and those that decide the ephemeral initrd (re-packed from the cached root-tgz in a
 * minute). Orchestration and publishing files are in neither: changing them never rebuilds.
 */
export const ROOT_SOURCES = [
  'debian-packages.ts',
  'rootfs.ts',
  'kernel.ts',
  'bootloaders.ts',
  'pack-images.ts',
  'run-command.ts',
];
export const INITRD_SOURCES = ['ephemeral-initrd.ts'];

async function hashSources(hash: ReturnType<typeof createHash>, files: readonly string[]) {
  for (const file of files) {
    hash.update(file);
    hash.update(await readFile(join(HERE, file)));
  }
}

/**
 * The content key of a build: the Debian versions of every package named in the images, the
 * apt sources and suite, and the builder source that makes the bytes. Other packages mmdebstrap
 * pulls in follow Debian's point releases and do not bust the cache: `--force` rebuilds.
 */
export async function buildCacheKey(inputs: Readonly<Record<string, unknown>>): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(inputs));
  await hashSources(hash, ROOT_SOURCES);
  return hash.digest('hex');
}

/** The ephemeral initrd's key: the root it is made from plus how it is packed. */
export async function initrdKey(rootKey: string): Promise<string> {
  const hash = createHash('sha256').update(rootKey);
  await hashSources(hash, INITRD_SOURCES);
  return hash.digest('hex');
}

/** The published stream depends on the artefacts and on how they are described. */
export async function streamKey(...keys: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const k of keys) hash.update(k);
  await hashSources(hash, ['stream-manifest.ts']);
  return hash.digest('hex');
}
