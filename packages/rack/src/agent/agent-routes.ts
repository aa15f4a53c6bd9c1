import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { isAppError } from '@kiln/node-kit';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { BootFileCache } from '../cache/index.js';
import { isSha256 } from '../cache/index.js';

export interface AgentRoutesOptions {
  readonly cache: BootFileCache;
  readonly registry: Registry;
  readonly status: () => unknown;
  readonly logger: Logger;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}

const CACHE_OP = /^\/agent\/cache\/([0-9a-fA-F]{64})\/(warm|pin|unpin)\/?$/;

/**
 * Adds the agent's own routes in front of the boot server on the same port: `/metrics`
 * (Prometheus, anyone may scrape) and `/agent/...` (status and cache control for `kiln rack
 * cache`, loopback only: warming or pinning from the boot network would let a machine fill the
 * cache). Everything else goes to the boot server untouched.
 */
export function installAgentRoutes(server: Server, options: AgentRoutesOptions): void {
  const boot = server.listeners('request') as Handler[];
  server.removeAllListeners('request');
  const forward: Handler = (req, res) => {
    for (const handler of boot) handler(req, res);
  };

  async function agent(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!isLoopback(req.socket.remoteAddress)) {
      send(res, 403, {
        error: 'RACK_CONTROL_FORBIDDEN',
        message: '/agent/ is only served to loopback clients.',
      });
      return;
    }
    if (req.method === 'GET' && (path === '/agent/status' || path === '/agent/status/')) {
      send(res, 200, options.status());
      return;
    }
    if (req.method === 'GET' && (path === '/agent/cache' || path === '/agent/cache/')) {
      send(res, 200, { stats: options.cache.stats(), entries: options.cache.list() });
      return;
    }
    const match = CACHE_OP.exec(path);
    if (req.method === 'POST' && match !== null) {
      const sha = (match[1] ?? '').toLowerCase();
      const op = match[2];
      if (!isSha256(sha)) {
        send(res, 400, { error: 'RACK_SHA256_INVALID', message: `Not a sha256: ${sha}` });
        return;
      }
      if (op === 'warm') send(res, 200, await options.cache.warm(sha));
      else {
        await (op === 'pin' ? options.cache.pin(sha) : options.cache.unpin(sha));
        send(res, 200, { sha256: sha, pinned: op === 'pin' });
      }
      return;
    }
    send(res, 404, {
      error: 'RACK_CONTROL_UNKNOWN',
      message: `No agent route ${req.method ?? ''} ${path}`,
    });
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
      options.registry
        .metrics()
        .then((text) => {
          res.writeHead(200, { 'content-type': options.registry.contentType });
          res.end(req.method === 'HEAD' ? undefined : text);
        })
        .catch((error: unknown) => {
          options.logger.error({ err: error }, 'metrics failed');
          res.writeHead(500).end();
        });
      return;
    }
    if (path.startsWith('/agent/')) {
      agent(req, res, path).catch((error: unknown) => {
        const status = isAppError(error) ? error.status : 500;
        const code = isAppError(error) ? error.code : 'RACK_CONTROL_FAILED';
        if (!res.headersSent) send(res, status, { error: code, message: (error as Error).message });
        else res.destroy();
      });
      return;
    }
    forward(req, res);
  });
}
