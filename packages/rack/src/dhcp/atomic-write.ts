import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Nothing half-written is ever read: dnsmasq (or a human) only ever sees the old file or the
 * whole new one. Write `<path>.partial`, fsync it, rename over the target, fsync the directory.
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const partial = `${path}.partial`;
  const handle = await open(partial, 'w', 0o644);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(partial).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(partial, path);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
