import { createHash } from 'node:crypto';
import { request, type Agent } from 'node:http';

export interface FetchResult {
  readonly url: string;
  readonly status: number;
  readonly bytes: number;
  /** Hex sha256 of the body when hashing was asked for. */
  readonly sha256: string | undefined;
  /** The body, only when `keepBody` (boot configs and metadata are small). */
  readonly body: Buffer | undefined;
}

export interface HttpGetOptions {
  readonly agent: Agent;
  readonly timeoutMs: number;
  readonly hash: boolean;
  readonly keepBody: boolean;
}

/**
 * One GET, streamed: the body is hashed as it arrives instead of being held, so hundreds of
 * simulated machines pulling 100 MB files do not hold them in memory. A stalled transfer (no
 * bytes for `timeoutMs`) fails instead of hanging the storm.
 */
export function httpGet(url: string, options: HttpGetOptions): Promise<FetchResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: options.agent }, (res) => {
      const hash = options.hash ? createHash('sha256') : undefined;
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        hash?.update(chunk);
        if (options.keepBody) chunks.push(chunk);
      });
      res.on('end', () => {
        resolve({
          url,
          status: res.statusCode ?? 0,
          bytes,
          sha256: hash?.digest('hex'),
          body: options.keepBody ? Buffer.concat(chunks) : undefined,
        });
      });
      res.on('error', reject);
    });
    req.setTimeout(options.timeoutMs, () => {
      req.destroy(new Error(`no data for ${options.timeoutMs} ms from ${url}`));
    });
    req.on('error', reject);
    req.end();
  });
}
