import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  readonly url: string;
  /** Requests forwarded, by path without the query string. */
  counts(): ReadonlyMap<string, number>;
  /** Requests for `/MAAS/boot-resources/<sha256>/`, by sha256. */
  fileFetches(): ReadonlyMap<string, number>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of a region that counts what the rack asks for: the proof
 * that a storm of N machines cost the region one fetch per file. Bodies are streamed both ways.
 */
export async function startCountingProxy(
  target: string,
  host = '127.0.0.1',
): Promise<CountingProxy> {
  const upstream = new URL(target);
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502).end(String(error));
      else res.destroy(error);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    counts: () => counts,
    fileFetches() {
      const files = new Map<string, number>();
      for (const [path, n] of counts) {
        const sha = /^\/MAAS\/boot-resources\/([0-9a-f]{64})\/?$/.exec(path)?.[1];
        if (sha !== undefined) files.set(sha, (files.get(sha) ?? 0) + n);
      }
      return files;
    },
    reset: () => counts.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
