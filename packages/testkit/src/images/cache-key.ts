import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Files that only publish or present the images: changing them re-publishes, never rebuilds. */
const NOT_IN_KEY = new Set(['stream-manifest.ts', 'cli.ts', 'main.ts', 'index.ts']);

/**
 * The content key of a build: the Debian versions of every package named in the images, the
 * mirror and suite, and the builder's own source (changing how an image is made must rebuild it).
 * Other packages mmdebstrap pulls in follow Debian's point releases and do not bust the cache:
 * `--force` rebuilds when that matters.
 */
export async function buildCacheKey(inputs: Readonly<Record<string, unknown>>): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(inputs));
  const sources = (await readdir(HERE))
    .filter((f) => (f.endsWith('.ts') || f.endsWith('.js')) && !f.includes('.test.'))
    .filter((f) => !NOT_IN_KEY.has(f))
    .sort();
  for (const file of sources) {
    hash.update(file);
    hash.update(await readFile(join(HERE, file)));
  }
  return hash.digest('hex');
}

/** The published stream depends on the artefacts and on how they are described. */
export async function streamKey(buildKey: string): Promise<string> {
  const manifestSource = await readFile(join(HERE, 'stream-manifest.ts'));
  return createHash('sha256').update(buildKey).update(manifestSource).digest('hex');
}
