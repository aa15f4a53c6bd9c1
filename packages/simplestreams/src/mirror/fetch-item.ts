import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { downloadFile, safeJoin, type DownloadProgress } from '@kiln/node-kit';
import type { Logger } from 'pino';
import { copyWithDigest } from '../build/copy-with-digest.js';
import { mirrorFault } from '../stream-error.js';
import { urlForPath } from '../url/item-path.js';

export interface MirrorFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export interface FetchItemOptions {
  readonly signal?: AbortSignal | undefined;
  readonly logger?: Logger | undefined;
  readonly retries?: number | undefined;
  readonly onBytes?: (received: number, resumedFrom: number) => void;
}

export type FetchOutcome = 'present' | 'downloaded' | 'resumed';

/**
 * Makes `<outDir>/<path>` hold the verified file. A file already there with the right size was
 * published by an earlier verified run (only renames publish), so it is kept.
 */
export async function fetchItem(
  root: URL,
  outDir: string,
  file: MirrorFile,
  options: FetchItemOptions,
): Promise<FetchOutcome> {
  const dest = safeJoin(outDir, file.path);
  const existing = await stat(dest).catch(() => undefined);
  if (existing?.isFile() === true && existing.size === file.size) return 'present';
  const url = urlForPath(root, file.path);
  if (url.protocol === 'file:') {
    const digest = await copyWithDigest(fileURLToPath(url), dest, file, options.signal);
    if (digest.sha256 !== file.sha256 || digest.size !== file.size) {
      throw mirrorFault(
        'STREAM_CHECKSUM_MISMATCH',
        `${file.path}: sha256 ${digest.sha256} size ${digest.size} do not match the stream`,
        {
          path: file.path,
        },
      );
    }
    options.onBytes?.(file.size, 0);
    return 'downloaded';
  }
  const result = await downloadFile(url.href, dest, {
    sha256: file.sha256,
    size: file.size,
    signal: options.signal,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    onProgress: (p: DownloadProgress) => options.onBytes?.(p.received, p.resumedFrom),
  });
  return result.resumedFrom > 0 ? 'resumed' : 'downloaded';
}
