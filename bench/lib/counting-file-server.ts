import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';

export interface CountingFileServer {
  readonly url: string;
  /** Body bytes sent per URL path since the last reset. */
  readonly sent: Map<string, number>;
  /** GET requests per URL path since the last reset. */
  readonly requests: Map<string, number>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A static file server on loopback that streams files (with single-range support, as resumed
 * downloads ask) and counts requests and body bytes per path: the upstream whose bytes the
 * multi-region bench counts. nginx's access log could count too, but the bench's nginx keeps it
 * off as the peer configuration.
 */
export async function startCountingFileServer(root: string): Promise<CountingFileServer> {
  const base = resolve(root);
  const sent = new Map<string, number>();
  const requests = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = resolve(base, `.${path}`);
    requests.set(path, (requests.get(path) ?? 0) + 1);
    void (async () => {
      const info = file.startsWith(base + sep)
        ? await stat(file).catch(() => undefined)
        : undefined;
      if (info?.isFile() !== true) return void res.writeHead(404).end();
      const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      const start = m === null ? 0 : Number(m[1]);
      const end = m === null || m[2] === '' ? info.size - 1 : Math.min(Number(m[2]), info.size - 1);
      if (start > end && info.size > 0)
        return void res.writeHead(416, { 'content-range': `bytes */${String(info.size)}` }).end();
      res.writeHead(m === null ? 200 : 206, {
        'content-length': String(end - start + 1),
        'accept-ranges': 'bytes',
        ...(m === null
          ? {}
          : { 'content-range': `bytes ${String(start)}-${String(end)}/${String(info.size)}` }),
      });
      if (req.method === 'HEAD' || info.size === 0) return void res.end();
      const body = createReadStream(file, { start, end, highWaterMark: 1 << 20 });
      body.on('data', (chunk) => sent.set(path, (sent.get(path) ?? 0) + chunk.length));
      body.pipe(res);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/`,
    sent,
    requests,
    reset: () => {
      sent.clear();
      requests.clear();
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
