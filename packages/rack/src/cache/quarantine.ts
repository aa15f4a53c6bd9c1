import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const QUARANTINE_DIR = 'quarantine';
/** Kept for a person to look at; older ones go, so a rotting disk cannot fill the rack. */
const KEEP = 2;

/**
 * Moves a corrupt cached file out of the cache folder (`quarantine/<sha256>.<ms>`), keeping only
 * the newest few there. A rename, so readers that already have it open are not disturbed.
 */
export async function quarantineFile(dir: string, sha256: string): Promise<string> {
  const folder = join(dir, QUARANTINE_DIR);
  await mkdir(folder, { recursive: true });
  const target = join(folder, `${sha256}.${Date.now()}`);
  await rename(join(dir, sha256), target);
  const names = (await readdir(folder)).sort(
    (a, b) => Number(b.split('.')[1] ?? 0) - Number(a.split('.')[1] ?? 0),
  );
  for (const old of names.slice(KEEP)) await rm(join(folder, old), { force: true });
  return target;
}
