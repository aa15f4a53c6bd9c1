import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

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
    .sort();
  for (const file of sources) {
    hash.update(file);
    hash.update(await readFile(join(HERE, file)));
  }
  return hash.digest('hex');
}
