import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { ImageStore } from './image-store.js';

async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
}

/**
 * Removes unpacked bootloader trees (`bootloaders/<type>/<arch>/`) that no boot resource provides
 * any more, so a bootloader whose resource was removed is no longer served over TFTP or HTTP.
 * Returns the `<type>/<arch>` trees it removed.
 */
export async function pruneBootloaders(db: Kysely<Database>, store: ImageStore): Promise<string[]> {
  const provided = new Set(
    (
      await db
        .selectFrom('boot_resources')
        .select(['bootloader_type', 'architecture'])
        .where('bootloader_type', 'is not', null)
        .execute()
    ).map((r) => `${r.bootloader_type ?? ''}/${r.architecture.split('/')[0] ?? ''}`),
  );
  const removed: string[] = [];
  for (const type of await subdirectories(store.bootloadersDir)) {
    for (const arch of await subdirectories(join(store.bootloadersDir, type))) {
      if (provided.has(`${type}/${arch}`)) continue;
      await rm(join(store.bootloadersDir, type, arch), { recursive: true, force: true });
      removed.push(`${type}/${arch}`);
    }
  }
  return removed;
}
