import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAppError } from '@kiln/node-kit';
import { Counter, Registry } from 'prom-client';
import { isSha256 } from '../cache/index.js';
import { isBootloaderName } from './bootloader-name.js';
import { openLocalFile } from './local-file.js';
import { createRegionProxy } from './region-proxy.js';
import { parseRequestPath } from './request-path.js';
import { notModified, serveFile } from './serve-file.js';
import { DEFAULT_RACK_HTTP_PORT, type RackHttpServerOptions } from './types.js';

export interface RackHttpServer {
  readonly server: Server;
  listen(port?: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

type RouteKind = 'image' | 'bootloader' | 'config' | 'proxy' | 'other';

/**
 * The rack's HTTP boot server (:5248): `/images/<sha256>/...` from the cache, bootloaders by
 * name, boot configs from the renderer, and `/MAAS/` relayed to a region. Plain node:http, see
 * docs/decisions/0002-rack-http.md.
 */
export function createRackHttpServer(options: RackHttpServerOptions): RackHttpServer {
  const logger = options.logger.child({ module: 'rack-http' });
  const requests = new Counter({
    name: 'kiln_rack_http_requests_total',
    help: 'Requests to the rack HTTP boot server by route and status',
    labelNames: ['route', 'status'],
    registers: [options.metricsRegistry ?? new Registry()],
  });
  const proxy = createRegionProxy({
    regionUrls: options.regionUrls,
    connectTimeoutMs: options.proxyConnectTimeoutMs ?? 2000,
    logger,
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<RouteKind> {
    const raw = req.url ?? '/';
    const segments = parseRequestPath(raw);
    if (segments[0] === 'MAAS') {
      await proxy(req, res);
      return 'proxy';
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
        .end('Only GET and HEAD are served here.\n');
      return 'other';
    }
    if (
      segments[0] === 'images' &&
      segments[1] !== undefined &&
      isSha256(segments[1].toLowerCase())
    ) {
      await serveCached(req, res, segments[1].toLowerCase());
      return 'image';
    }
    const path = segments.join('/');
    if (options.bootConfigs.isBootConfigPath(path)) {
      const rendered = await options.bootConfigs.render(path, {
        rackAddress: req.socket.localAddress ?? '',
        remoteAddress: req.socket.remoteAddress ?? null,
        protocol: 'http',
      });
      if (rendered === undefined || rendered === null) notFound(res);
      else {
        const body = typeof rendered.body === 'string' ? Buffer.from(rendered.body) : rendered.body;
        res.writeHead(200, {
          'content-type': rendered.contentType ?? 'text/plain; charset=utf-8',
          'content-length': String(body.length),
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      }
      return 'config';
    }
    const name = segments.at(-1);
    if (name !== undefined && isBootloaderName(name)) {
      const target = await options.bootloaders.resolve(name, {
        path: segments.join('/'),
        remoteAddress: req.socket.remoteAddress ?? '',
      });
      if (target === undefined) notFound(res);
      else if ('sha256' in target) await serveCached(req, res, target.sha256, false);
      else {
        const local = await openLocalFile(target.file);
        if (local === undefined) notFound(res);
        else if (!notModified(req, res, local.etag))
          await serveFile(req, res, local.file, { etag: local.etag, immutable: false }, logger);
      }
      return 'bootloader';
    }
    notFound(res);
    return 'other';
  }

  async function serveCached(
    req: IncomingMessage,
    res: ServerResponse,
    sha256: string,
    immutable = true,
  ): Promise<void> {
    const etag = `"${sha256}"`;
    if (notModified(req, res, etag)) return;
    const reader = await options.cache.open(sha256);
    logger.debug(
      { sha256, hit: reader.hit, remote: req.socket.remoteAddress },
      'boot file request',
    );
    await serveFile(req, res, reader, { etag, immutable }, logger);
  }

  const server = createServer((req, res) => {
    let kind: RouteKind = 'other';
    route(req, res)
      .then((k) => (kind = k))
      .catch((error: unknown) => answerError(res, error, logger.child({ url: req.url })))
      .finally(() => requests.inc({ route: kind, status: String(res.statusCode) }));
  });

  return {
    server,
    async listen(port = DEFAULT_RACK_HTTP_PORT, host?: string) {
      server.listen(port, host);
      await once(server, 'listening');
      const address = server.address() as AddressInfo;
      logger.info({ port: address.port, host: address.address }, 'rack HTTP boot server listening');
      return address;
    },
    async close() {
      server.closeIdleConnections();
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found.\n');
}

function answerError(
  res: ServerResponse,
  error: unknown,
  logger: RackHttpServerOptions['logger'],
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (isAppError(error) && error.status < 500) {
    res
      .writeHead(error.status, { 'content-type': 'text/plain; charset=utf-8' })
      .end(`${error.message}\n`);
    return;
  }
  const status = isAppError(error) ? error.status : 500;
  logger.error({ err: error }, 'rack HTTP request failed');
  const message = isAppError(error) ? error.message : 'Internal error';
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
}
