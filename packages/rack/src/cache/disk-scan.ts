import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { PINS_FILE } from './pins-file.js';
import { QUARANTINE_DIR } from './quarantine.js';
import { isSha256, PARTIAL_SUFFIX } from './sha256-name.js';

export interface ScannedFile {
  readonly sha256: string;
  readonly size: number;
  readonly lastUsed: number;
}

export interface DiskScan {
  readonly complete: ScannedFile[];
  readonly partials: ScannedFile[];
}

/**
 * Rebuilds the index from the folder at start: `<sha256>` files are complete (they were only
 * renamed into place after verification, but are re-hashed before they are served again: a disk
 * can rot or a person can touch them while the agent is down), `<sha256>.partial` files are kept so their fetch can
 * resume, and anything else is junk from a crash or a person and is removed. The modification
 * time carries "last used" across restarts (the cache touches files as they are served).
 */
export async function scanCacheDir(dir: string, logger: Logger): Promise<DiskScan> {
  await mkdir(dir, { recursive: true });
  const complete: ScannedFile[] = [];
  const partials: ScannedFile[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name === PINS_FILE && entry.isFile()) continue;
    if (entry.name === QUARANTINE_DIR && entry.isDirectory()) continue;
    const partial = entry.name.endsWith(PARTIAL_SUFFIX);
    const sha256 = partial ? entry.name.slice(0, -PARTIAL_SUFFIX.length) : entry.name;
    if (entry.isFile() && isSha256(sha256)) {
      const info = await stat(path);
      (partial ? partials : complete).push({ sha256, size: info.size, lastUsed: info.mtimeMs });
      continue;
    }
    logger.warn({ path }, 'removing unexpected entry from the boot file cache');
    await rm(path, { recursive: true, force: true });
  }
  return { complete, partials };
}
