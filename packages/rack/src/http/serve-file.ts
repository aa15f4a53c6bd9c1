import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { parseRange } from './range-header.js';

/** The part of a cache reader (or a local file) that serving needs. */
export interface ServableFile {
  size(): Promise<number>;
  stream(start: number, end: number): Readable;
  close(): void;
}

export interface ServeOptions {
  /** Strong validator: the sha256 for cached files. */
  readonly etag: string;
  /** Content named by sha256 never changes; content named by file name may. */
  readonly immutable: boolean;
}

/** `If-None-Match` is answered before any file is opened: the ETag alone decides. */
export function notModified(req: IncomingMessage, res: ServerResponse, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (header === undefined) return false;
  const tags = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (!tags.includes(etag) && !tags.includes('*')) return false;
  res.writeHead(304, { etag }).end();
  return true;
}

/**
 * GET/HEAD of one file with a single Range, 416 past the end, ETag and Content-Length. Errors
 * before the headers become a status; after them the connection is aborted so the client sees a
 * short body rather than a complete-looking wrong one.
 */
export async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: ServableFile,
  options: ServeOptions,
  logger: Logger,
): Promise<void> {
  try {
    const size = await file.size();
    const ifRange = req.headers['if-range'];
    const range =
      ifRange !== undefined && ifRange !== options.etag
        ? { kind: 'full' as const }
        : parseRange(req.headers.range, size);
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'accept-ranges': 'bytes',
      etag: options.etag,
      'cache-control': options.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (range.kind === 'unsatisfiable') {
      res
        .writeHead(416, { ...headers, 'content-range': `bytes */${size}`, 'content-length': '0' })
        .end();
      return;
    }
    const start = range.kind === 'partial' ? range.start : 0;
    const end = range.kind === 'partial' ? range.end : size - 1;
    headers['content-length'] = String(end - start + 1);
    if (range.kind === 'partial') headers['content-range'] = `bytes ${start}-${end}/${size}`;
    res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
    if (req.method === 'HEAD' || end < start) {
      res.end();
      return;
    }
    await pipeline(file.stream(start, end), res);
  } catch (error) {
    if (res.headersSent) {
      // The client hanging up mid-file is routine (firmware retries, benchmarks stop); a bad
      // file or a failed region fetch under a client is not.
      const clientGone = (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE';
      if (clientGone) logger.debug({ url: req.url }, 'client closed the connection mid-file');
      else logger.warn({ url: req.url, err: error }, 'boot file transfer aborted');
      res.destroy(error as Error);
    } else {
      throw error;
    }
  } finally {
    file.close();
  }
}
