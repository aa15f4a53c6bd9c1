import { stat } from 'node:fs/promises';
import { safeJoin } from '@kiln/node-kit';
import {
  downloadStreamFile,
  type DownloadStreamFileOptions,
  type StreamFile,
} from '../read/download-stream-file.js';

export type FetchOutcome = 'present' | 'downloaded' | 'resumed';

/**
 * Makes `<outDir>/<path>` hold the verified file. A file already there with the right size was
 * published by an earlier verified run (only renames publish), so it is kept.
 */
export async function fetchItem(
  root: URL,
  outDir: string,
  file: StreamFile,
  options: DownloadStreamFileOptions,
): Promise<FetchOutcome> {
  const dest = safeJoin(outDir, file.path);
  const existing = await stat(dest).catch(() => undefined);
  if (existing?.isFile() === true && existing.size === file.size) return 'present';
  const resumedFrom = await downloadStreamFile(root, file, dest, options);
  return resumedFrom > 0 ? 'resumed' : 'downloaded';
}
