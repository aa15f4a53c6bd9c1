import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `data` so that readers see either the old file or the whole new one: a private
 * `.partial` sibling is written and fsynced, then renamed over the target, then the directory
 * is fsynced so the rename itself survives a crash. The file is created with `mode`.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Buffer,
  mode: number,
): Promise<void> {
  const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  const handle = await open(partial, 'wx', mode);
  try {
    await handle.writeFile(data);
    // The umask may have narrowed the mode, never widened it; set it explicitly either way.
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  const directory = await open(dirname(path), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
