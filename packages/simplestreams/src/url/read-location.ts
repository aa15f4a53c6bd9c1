import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { fetchBytes, type RetryPolicy } from '@kiln/node-kit';
import { mirrorFault } from '../stream-error.js';

export interface ReadLocationOptions extends RetryPolicy {
  readonly signal?: AbortSignal | undefined;
}

/** Reads a document from an http(s) URL or a local file URL. */
export async function readLocation(url: URL, options: ReadLocationOptions = {}): Promise<Buffer> {
  if (url.protocol === 'file:') {
    try {
      return await readFile(
        fileURLToPath(url),
        options.signal === undefined ? {} : { signal: options.signal },
      );
    } catch (error) {
      throw mirrorFault(
        'STREAM_FETCH_FAILED',
        `Cannot read ${fileURLToPath(url)}: ${(error as Error).message}`,
        {
          url: url.href,
        },
      );
    }
  }
  return fetchBytes(url.href, options);
}
