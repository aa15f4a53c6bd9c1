import { fileURLToPath } from 'node:url';
import { downloadFile, type DownloadProgress } from '@kiln/node-kit';
import type { Logger } from 'pino';
import { copyWithDigest } from '../build/copy-with-digest.js';
import { mirrorFault } from '../stream-error.js';
import { checkItemPath, urlForPath } from '../url/item-path.js';

/** A file a stream lists: root-relative path, sha256 and size. */
export interface StreamFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export interface DownloadStreamFileOptions {
  readonly signal?: AbortSignal | undefined;
  readonly logger?: Logger | undefined;
  readonly retries?: number | undefined;
  /** Bytes present so far (including resumed ones) and the offset the transfer resumed from. */
  readonly onBytes?: (received: number, resumedFrom: number) => void;
}

/**
 * Fetches one file of a stream (http, https or a local mirror directory) to `dest`, published
 * only when its sha256 and size match. HTTP transfers resume from `<dest>.partial` with Range.
 * Resolves to the offset the transfer resumed from (0 when it started from the beginning).
 */
export async function downloadStreamFile(
  root: URL,
  file: StreamFile,
  dest: string,
  options: DownloadStreamFileOptions = {},
): Promise<number> {
  checkItemPath(file.path, 'stream file');
  const url = urlForPath(root, file.path);
  if (url.protocol === 'file:') {
    const digest = await copyWithDigest(fileURLToPath(url), dest, file, options.signal);
    if (digest.sha256 !== file.sha256 || digest.size !== file.size) {
      throw mirrorFault(
        'STREAM_CHECKSUM_MISMATCH',
        `${file.path}: sha256 ${digest.sha256} size ${digest.size} do not match the stream`,
        { path: file.path },
      );
    }
    options.onBytes?.(file.size, 0);
    return 0;
  }
  const result = await downloadFile(url.href, dest, {
    sha256: file.sha256,
    size: file.size,
    signal: options.signal,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    onProgress: (p: DownloadProgress) => options.onBytes?.(p.received, p.resumedFrom),
  });
  return result.resumedFrom;
}
