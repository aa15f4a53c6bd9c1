import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeJoin } from '@kiln/node-kit';
import type { ImageStore } from '../store/image-store.js';
import { isSha256 } from '../store/image-store.js';
import type { AtRestVerifier } from './at-rest.js';

function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | null {
  if (header === undefined) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** The file under `root` a request path names, or null when it would escape (or is malformed). */
function confined(root: string, relative: string): string | null {
  try {
    return safeJoin(root, decodeURIComponent(relative));
  } catch {
    return null;
  }
}

function notFound(reply: FastifyReply, path: string): FastifyReply {
  return reply.code(404).type('text/plain; charset=utf-8').send(`Unknown path: ${path}`);
}

/**
 * `GET|HEAD /MAAS/boot-resources/<sha256>/[labels...]` (extra segments ignored, spec §3.5) and
 * `/MAAS/boot-resources/bootloaders/<path>`: complete files only (a `<sha256>` name exists only
 * once verified; partials are never reachable), single Range (206/416), ETag = the sha256.
 */
export async function serveStoreFile(
  store: ImageStore,
  request: FastifyRequest,
  reply: FastifyReply,
  verifier?: AtRestVerifier,
): Promise<FastifyReply> {
  const rest = (request.params as { '*': string })['*'];
  const [first, ...tail] = rest.split('/');
  let path: string | null = null;
  let etag = '';
  let sha256: string | undefined;
  if (first !== undefined && isSha256(first)) {
    path = store.pathFor(first);
    etag = `"${first}"`;
    sha256 = first;
  } else if (first === 'bootloaders' && tail.length > 0) {
    path = confined(store.bootloadersDir, tail.join('/'));
  }
  if (path === null) return notFound(reply, request.url);
  const info = await stat(path).catch(() => null);
  if (info?.isFile() !== true) return notFound(reply, request.url);
  if (etag === '') etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const ifRange = request.headers['if-range'];
  const range =
    ifRange === undefined || ifRange === etag ? parseRange(request.headers.range, info.size) : null;
  reply.header('accept-ranges', 'bytes').header('etag', etag).type('application/octet-stream');
  if (range === 'unsatisfiable')
    return reply.code(416).header('content-range', `bytes */${info.size}`).send();
  const start = range?.start ?? 0;
  const end = range?.end ?? info.size - 1;
  reply.header('content-length', String(Math.max(0, end - start + 1)));
  if (range !== null) reply.code(206).header('content-range', `bytes ${start}-${end}/${info.size}`);
  if (request.method === 'HEAD' || info.size === 0) return reply.send();
  if (verifier !== undefined && sha256 !== undefined && !verifier.isKnownGood(sha256, info.size)) {
    if (range === null) return reply.send(verifier.verifyingStream(sha256, path, info.size));
    if (!(await verifier.verifyWhole(sha256, path))) {
      reply.removeHeader('content-range').removeHeader('content-length');
      return reply
        .code(502)
        .type('text/plain; charset=utf-8')
        .send(
          `Stored file ${sha256} failed its sha256 check; it was quarantined and is being fetched again.`,
        );
    }
  }
  return reply.send(createReadStream(path, { start, end, highWaterMark: 256 * 1024 }));
}
