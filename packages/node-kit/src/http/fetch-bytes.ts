import { AppError, ExternalError } from '../errors/index.js';
import { abortError, backoffDelay, isAborted, sleep, type RetryPolicy } from './backoff.js';
import { FatalTransferError, isRetryable, statusError } from './http-errors.js';
import { openRequest, type OpenRequestOptions } from './open-request.js';

export interface FetchBytesOptions extends RetryPolicy, Omit<OpenRequestOptions, 'method'> {
  /** Refuse bodies larger than this (default 512 MiB): documents are read into memory. */
  readonly maxBytes?: number;
}

async function fetchOnce(url: string, options: FetchBytesOptions): Promise<Buffer> {
  const { response, url: finalUrl } = await openRequest(url, options);
  if (response.statusCode !== 200) {
    response.resume();
    throw statusError(finalUrl, response.statusCode ?? 0);
  }
  const max = options.maxBytes ?? 512 * 1024 * 1024;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > max) {
      response.destroy();
      throw new FatalTransferError(
        'HTTP_BODY_TOO_LARGE',
        `${finalUrl.href} is larger than ${max} bytes`,
      );
    }
    chunks.push(chunk);
  }
  const expected = response.headers['content-length'];
  if (expected !== undefined && Number(expected) !== total) {
    throw new ExternalError(
      'HTTP_TRUNCATED',
      `${finalUrl.href} ended after ${total} of ${expected} bytes`,
    );
  }
  return Buffer.concat(chunks);
}

/** GETs a whole (small) body with retries on network errors, 5xx, 408 and 429. */
export async function fetchBytes(url: string, options: FetchBytesOptions = {}): Promise<Buffer> {
  const retries = options.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    if (isAborted(options.signal)) throw abortError(options.signal);
    try {
      return await fetchOnce(url, options);
    } catch (error) {
      if (isAborted(options.signal)) throw abortError(options.signal);
      if (!isRetryable(error) || attempt >= retries) {
        if (error instanceof AppError) throw error;
        throw new ExternalError(
          'HTTP_FETCH_FAILED',
          `GET ${url} failed: ${(error as Error).message}`,
          {
            cause: error,
            details: { url },
          },
        );
      }
      await sleep(backoffDelay(attempt, options), options.signal);
    }
  }
}
