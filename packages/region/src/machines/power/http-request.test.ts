import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { powerHttp, type PowerHttpRequest } from './http-request.js';

let server: Server;
let base: string;
const bodies: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(`${req.method} ${req.url} ${body}`);
      if (req.url === '/silent') return; // never answers
      if (req.url === '/huge') res.end(Buffer.alloc(2 * 1024 * 1024, 0x61));
      else if (req.url === '/loop') res.writeHead(302, { Location: '/loop' }).end();
      else if (req.url === '/keep') res.writeHead(307, { Location: '/echo' }).end();
      else if (req.url === '/see-other') res.writeHead(303, { Location: '/echo' }).end();
      else res.end(`echo ${req.method} ${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const req = (path: string, extra: Partial<PowerHttpRequest> = {}): PowerHttpRequest => ({
  method: 'GET',
  url: `${base}${path}`,
  verifyTls: true,
  signal: new AbortController().signal,
  timeoutMs: 5000,
  ...extra,
});

describe('powerHttp', () => {
  it('times out a silent peer with POWER_ACTION_TIMEOUT', async () => {
    await expect(powerHttp(req('/silent', { timeoutMs: 100 }))).rejects.toMatchObject({
      code: 'POWER_ACTION_TIMEOUT',
      message: expect.stringContaining('did not answer within 100 ms') as unknown,
    });
  });

  it('refuses oversized replies', async () => {
    await expect(powerHttp(req('/huge'))).rejects.toThrow('sent an oversized reply');
  });

  it('stops following a redirect loop', async () => {
    await expect(powerHttp(req('/loop'))).rejects.toThrow(`Too many redirects from ${base}/loop.`);
  });

  it('keeps method and body on 307 and drops them on 303', async () => {
    const kept = await powerHttp(req('/keep', { method: 'POST', body: '{"a":1}' }));
    expect(kept.body).toBe('echo POST {"a":1}');
    const other = await powerHttp(req('/see-other', { method: 'POST', body: '{"a":1}' }));
    expect(other.body).toBe('echo GET ');
    const bare = await powerHttp(req('/see-other', { method: 'POST' }));
    expect(bare.body).toBe('echo GET ');
  });
});
