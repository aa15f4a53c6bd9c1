import {
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { connect, type Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { connect as tlsConnect } from 'node:tls';
import type { Logger } from 'pino';
import { normalizeRegionUrl } from '../cache/index.js';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export interface RegionProxyOptions {
  readonly regionUrls: readonly string[] | (() => readonly string[]);
  readonly connectTimeoutMs: number;
  readonly logger: Logger;
}

/**
 * `/MAAS/...` relayed to a region so machines reach the API and metadata server through their
 * rack. Failover happens at TCP connect, before any of the request body is consumed, so bodies
 * stream straight through in both directions without being buffered for a retry.
 */
export function createRegionProxy(options: RegionProxyOptions) {
  let preferred: string | undefined;
  const ordered = (): string[] => {
    const source =
      typeof options.regionUrls === 'function' ? options.regionUrls() : options.regionUrls;
    const urls = source.map(normalizeRegionUrl);
    return preferred !== undefined && urls.includes(preferred)
      ? [preferred, ...urls.filter((u) => u !== preferred)]
      : urls;
  };

  return async function proxy(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = await firstReachable(ordered(), options.connectTimeoutMs);
    if (target === undefined) {
      options.logger.warn({ url: req.url }, 'no region reachable for proxied request');
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' })
        .end('No region controller is reachable from this rack.\n');
      return;
    }
    preferred = target.base;
    const upstream = request({
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: forwardHeaders(req),
      createConnection: () => target.socket,
    });
    const answered = new Promise<IncomingMessage>((resolve, reject) => {
      upstream.once('response', resolve);
      upstream.once('error', reject);
    });
    const sent = pipeline(req, upstream).catch((error: unknown) => error);
    try {
      const answer = await answered;
      res.writeHead(
        answer.statusCode ?? 502,
        answer.statusMessage,
        responseHeaders(answer.headers),
      );
      await pipeline(answer, res);
    } catch (error) {
      options.logger.warn(
        { url: req.url, region: target.base, err: error },
        'proxied request failed',
      );
      if (res.headersSent) res.destroy();
      else
        res
          .writeHead(502, { 'content-type': 'text/plain; charset=utf-8' })
          .end('The region controller failed to answer.\n');
    }
    await sent;
  };
}

function forwardHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  }
  const remote = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = prior === undefined ? remote : `${String(prior)}, ${remote}`;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
  if (req.headers.host !== undefined) headers['x-forwarded-host'] = req.headers.host;
  return headers;
}

function responseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

async function firstReachable(
  urls: readonly string[],
  timeoutMs: number,
): Promise<{ base: string; socket: Socket } | undefined> {
  for (const base of urls) {
    const socket = await tryConnect(new URL(base), timeoutMs);
    if (socket !== undefined) return { base, socket };
  }
  return undefined;
}

function tryConnect(url: URL, timeoutMs: number): Promise<Socket | undefined> {
  const tls = url.protocol === 'https:';
  const port = Number(url.port || (tls ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = tls ? tlsConnect({ host, port, servername: host }) : connect({ host, port });
    const ready = tls ? 'secureConnect' : 'connect';
    const timer = setTimeout(() => socket.destroy(new Error('connect timeout')), timeoutMs);
    socket.once(ready, () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}
