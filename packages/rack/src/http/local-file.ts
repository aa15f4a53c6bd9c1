import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ServableFile } from './serve-file.js';

/** A bootloader that lives on the rack's disk rather than in the cache (custom bootloaders). */
export async function openLocalFile(
  path: string,
): Promise<{ file: ServableFile; etag: string } | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isFile() !== true) return undefined;
  const file: ServableFile = {
    size: () => Promise.resolve(info.size),
    stream: (start: number, end: number): Readable =>
      createReadStream(path, { start, end, highWaterMark: 256 * 1024 }),
    close: () => undefined,
  };
  return { file, etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"` };
}
