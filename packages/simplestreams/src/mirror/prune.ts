import { stat, rm, rmdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { safeJoin } from '@kiln/node-kit';
import type { Logger } from 'pino';
import { allItems, readStream } from '../read/index.js';

/**
 * Item paths listed by the mirror's current documents (read unsigned: they are our own files),
 * or undefined when there is no readable previous mirror.
 */
export async function previousMirrorPaths(
  outDir: string,
  logger?: Logger,
): Promise<Set<string> | undefined> {
  for (const index of ['streams/v1/index.sjson', 'streams/v1/index.json']) {
    const path = safeJoin(outDir, index);
    if ((await stat(path).catch(() => undefined))?.isFile() !== true) continue;
    try {
      const stream = await readStream(path, { policy: 'unsigned' });
      return new Set(allItems(stream).flatMap((i) => (i.path === undefined ? [] : [i.path])));
    } catch (error) {
      logger?.warn(
        { err: error, index: path },
        'previous mirror documents unreadable; not pruning',
      );
      return undefined;
    }
  }
  return undefined;
}

async function removeEmptyParents(outDir: string, file: string): Promise<void> {
  const root = resolve(outDir);
  for (let dir = dirname(file); dir.startsWith(`${root}/`); dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty (or already gone): stop climbing
    }
  }
}

/**
 * Deletes files the previous mirror listed and the new one does not (older versions trimmed by
 * --max-versions, products dropped by filters). Files the mirror never listed are left alone.
 */
export async function pruneMirror(
  outDir: string,
  previous: ReadonlySet<string>,
  current: ReadonlySet<string>,
  logger?: Logger,
): Promise<number> {
  let removed = 0;
  for (const path of previous) {
    if (current.has(path)) continue;
    const file = safeJoin(outDir, path);
    if ((await stat(file).catch(() => undefined))?.isFile() !== true) continue;
    await rm(file, { force: true });
    await removeEmptyParents(outDir, file);
    removed += 1;
    logger?.debug({ path }, 'pruned file no longer in the mirror');
  }
  return removed;
}
