import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extname, join, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const UI_PREFIX = '/MAAS/r/';

/** packages/web/dist, found from this file both in src/web and in the built dist/web. */
export function defaultUiRoot(): string {
  return fileURLToPath(new URL('../../../web/dist/', import.meta.url));
}

/** A file under root named by the URL tail, or null when it would escape root or does not exist. */
function fileUnder(root: string, tail: string): string | null {
  if (tail === '' || tail.includes('\0')) return null;
  const full = resolve(root, tail);
  if (!full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  try {
    return statSync(full).isFile() ? full.slice(root.length).replace(/^[/\\]/, '') : null;
  } catch {
    return null;
  }
}

/**
 * Serves the built UI under /MAAS/r/. Paths without a file extension are client-side routes and
 * get index.html (SPA fallback); a missing asset is a real 404 so a stale page reports it.
 * Hashed assets are immutable; index.html is never cached so a new build is picked up at once.
 */
export async function registerStaticUi(
  app: FastifyInstance,
  root: string = defaultUiRoot(),
): Promise<void> {
  const uiRoot = resolve(root);
  // cacheControl off: the header set per file below must not be overwritten by @fastify/static.
  await app.register(fastifyStatic, { root: uiRoot, serve: false, cacheControl: false });
  // The app ignores trailing slashes, so '/MAAS' also covers '/MAAS/'; '/MAAS/r' has its own route.
  for (const path of ['/', '/MAAS']) {
    app.get(path, async (_request, reply) => reply.redirect(UI_PREFIX, 302));
  }
  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!existsSync(join(uiRoot, 'index.html'))) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web UI is not built: run `npm run build -w @kiln/web`.');
    }
    const tail = decodeURIComponent(
      ((request.params as { '*'?: string })['*'] ?? '').split('?')[0] ?? '',
    );
    const file = fileUnder(uiRoot, tail);
    if (file !== null) {
      const immutable = file.startsWith('assets/');
      reply.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      return reply.sendFile(file);
    }
    if (extname(tail) !== '') {
      return reply.code(404).type('text/plain; charset=utf-8').send(`Unknown path: ${request.url}`);
    }
    reply.header('Cache-Control', 'no-cache');
    return reply.sendFile('index.html');
  };
  // With ignoreTrailingSlash, '/MAAS/r/' is routed as '/MAAS/r', which the wildcard does not match.
  app.get('/MAAS/r', serve);
  app.get(`${UI_PREFIX}*`, serve);
}
