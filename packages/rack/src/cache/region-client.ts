import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AppError, ExternalError } from '@kiln/node-kit';
import type { Logger } from 'pino';
import type { RegionUrlTracker } from './region-urls.js';

export interface RegionResponse {
  /** Body stream; already at `start`. Empty when the region said the range is past the end. */
  readonly body: IncomingMessage;
  /** Offset of the first body byte (0 when the region ignored our Range). */
  readonly start: number;
  /** Total file size, when the region sent Content-Length / Content-Range. */
  readonly total: number | undefined;
  readonly url: string;
}

export interface RegionFetchOptions {
  readonly urls: RegionUrlTracker;
  readonly sha256: string;
  readonly start: number;
  readonly idleTimeoutMs: number;
  readonly logger: Logger;
  readonly onRequest?: () => void;
}

/**
 * GET `<region>/MAAS/boot-resources/<sha256>/` from the first region that answers, asking for
 * `bytes=<start>-` when resuming. 404 everywhere means the file does not exist; anything else
 * (refused, reset, 5xx) everywhere means no region is usable right now.
 */
export async function openRegionFile(options: RegionFetchOptions): Promise<RegionResponse> {
  const urls = options.urls.ordered();
  if (urls.length === 0) {
    throw new ExternalError('CACHE_REGION_UNAVAILABLE', 'No region URL is configured');
  }
  let notFound = 0;
  const failures: string[] = [];
  for (const base of urls) {
    try {
      options.onRequest?.();
      const res = await get(base, options);
      const status = res.statusCode ?? 0;
      if (status === 200 || status === 206 || status === 416) {
        const parsed = interpret(res, options.start);
        options.urls.markGood(base);
        return { ...parsed, body: res, url: base };
      }
      res.resume();
      if (status === 404) notFound += 1;
      else failures.push(`${base}: HTTP ${status}`);
    } catch (error) {
      failures.push(`${base}: ${(error as Error).message}`);
    }
  }
  if (notFound > 0 && failures.length === 0) {
    throw new AppError('CACHE_FILE_NOT_FOUND', `No region has boot file ${options.sha256}`, {
      details: { sha256: options.sha256 },
    });
  }
  options.logger.warn({ sha256: options.sha256, failures }, 'no region answered a file request');
  throw new ExternalError('CACHE_REGION_UNAVAILABLE', `No region could serve ${options.sha256}`, {
    details: { sha256: options.sha256, failures },
  });
}

function get(base: string, options: RegionFetchOptions): Promise<IncomingMessage> {
  const url = new URL(`${base}/MAAS/boot-resources/${options.sha256}/`);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers: Record<string, string> = { accept: 'application/octet-stream' };
  if (options.start > 0) headers.range = `bytes=${options.start}-`;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'GET', headers });
    // One timeout covers connect, headers and every gap in the body: a stalled region is
    // dropped and the fetch resumes elsewhere instead of hanging every waiting client.
    req.setTimeout(options.idleTimeoutMs, () => {
      req.destroy(new Error(`region idle for ${options.idleTimeoutMs} ms`));
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end();
  });
}

function interpret(res: IncomingMessage, wanted: number): Omit<RegionResponse, 'body' | 'url'> {
  const status = res.statusCode ?? 0;
  const length = parseHeaderInt(res.headers['content-length']);
  if (status === 200) return { start: 0, total: length };
  const range = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+)$/.exec(res.headers['content-range'] ?? '');
  const total = range?.[3] === undefined ? undefined : Number(range[3]);
  if (status === 416) {
    // Only acceptable when we already hold every byte (a crash between download and rename).
    if (total !== undefined && total === wanted) return { start: wanted, total };
    res.resume();
    throw new ExternalError('CACHE_REGION_BAD_RANGE', 'Region refused a resume range', {
      details: { wanted, contentRange: res.headers['content-range'] },
    });
  }
  const first = range?.[1] === undefined ? undefined : Number(range[1]);
  if (first !== wanted) {
    res.resume();
    throw new ExternalError('CACHE_REGION_BAD_RANGE', 'Region answered a different range', {
      details: { wanted, contentRange: res.headers['content-range'] },
    });
  }
  return { start: first, total };
}

function parseHeaderInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
