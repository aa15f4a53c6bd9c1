import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile } from './index.js';

const run = promisify(execFile);
let dir: string;
let cert: string;
let httpsUrl: string;
let proxyUrl: string;
const tunnels: string[] = [];
const blob = randomBytes(100_000);
const sha256 = createHash('sha256').update(blob).digest('hex');
const closers: (() => void)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-https-'));
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  cert = await readFile(join(dir, 'cert.pem'), 'utf8');
  const https = createHttpsServer(
    { key: await readFile(join(dir, 'key.pem')), cert },
    (_req, res) => {
      res.writeHead(200, { 'content-length': String(blob.length) }).end(blob);
    },
  );
  await new Promise<void>((ok) => https.listen(0, '127.0.0.1', ok));
  httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}/blob`;
  // A CONNECT proxy: records the tunnel target and splices the sockets.
  const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client) => {
    tunnels.push(req.url ?? '');
    const [host = '', port = '443'] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  closers.push(
    () => https.close(),
    () => proxy.close(),
  );
});
afterAll(async () => {
  for (const close of closers) close();
  await rm(dir, { recursive: true, force: true });
});

describe('https downloads', () => {
  it('tunnel through https_proxy with CONNECT and trust an extra CA', async () => {
    const dest = join(dir, 'out', 'blob');
    const result = await downloadFile(httpsUrl, dest, {
      sha256,
      ca: cert,
      env: { https_proxy: proxyUrl },
    });
    expect(result.sha256).toBe(sha256);
    expect(tunnels).toEqual([new URL(httpsUrl).host]);
  });

  it('fail at once, without retries, on an untrusted certificate', async () => {
    const error = await downloadFile(httpsUrl, join(dir, 'out', 'untrusted'), {
      sha256,
      env: {},
      baseDelayMs: 60_000,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HTTP_DOWNLOAD_FAILED' });
    expect((error as Error).message).toMatch(/certificate/i);
  });
});
