import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDirectory, type FileDigest } from '@kiln/node-kit';

/**
 * Copies `source` to `dest` through `<dest>.partial`, hashing in the same pass; with `expect`, the
 * copy is only published when size and sha256 match.
 */
export async function copyWithDigest(
  source: string,
  dest: string,
  expect?: FileDigest,
  signal?: AbortSignal,
): Promise<FileDigest> {
  await mkdir(dirname(dest), { recursive: true });
  const partial = `${dest}.partial`;
  const hash = createHash('sha256');
  let size = 0;
  const handle = await open(partial, 'w');
  try {
    for await (const chunk of createReadStream(
      source,
      signal === undefined ? {} : { signal },
    ) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      await handle.write(chunk);
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  const digest = { sha256: hash.digest('hex'), size };
  if (expect !== undefined && (expect.size !== size || expect.sha256 !== digest.sha256)) {
    await rm(partial, { force: true });
    return digest;
  }
  await rename(partial, dest);
  await fsyncDirectory(dirname(dest));
  return digest;
}
