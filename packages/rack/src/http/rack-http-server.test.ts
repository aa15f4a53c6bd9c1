import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BootRequest } from '@kiln/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBootConfigService } from '../bootconfig/index.js';
import { createBootFileCache, type BootFileCache } from '../cache/index.js';
import { FakeRegion } from '../cache/test-support/fake-region.js';
import { captureLogger, deadUrl, randomFile, tempDir } from '../cache/test-support/test-env.js';
import { createRackHttpServer, type RackHttpServer } from './rack-http-server.js';
import type { BootloaderTarget } from './types.js';

const run = promisify(execFile);
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Sends bytes exactly as given (HTTP clients would normalise `..` away) and returns the status. */
function rawStatus(port: number, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: rack\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

describe('rack HTTP boot server', () => {
  const log = captureLogger();
  let region: FakeRegion;
  let dir: { path: string; remove: () => Promise<void> };
  let cache: BootFileCache;
  let rack: RackHttpServer;
  let base: string;
  let port: number;
  let deadRegion: string;
  let regionUrls: string[];
  const lookups: BootRequest[] = [];
  const bootloaders = new Map<string, BootloaderTarget>();
  const kernel = randomFile(3 * 1024 * 1024 + 17);
  let kernelSha: string;

  beforeAll(async () => {
    region = await new FakeRegion().start();
    dir = await tempDir('rack-http');
    deadRegion = await deadUrl();
    regionUrls = [region.url];
    kernelSha = region.addFile(kernel);
    cache = await createBootFileCache({
      dir: join(dir.path, 'cache'),
      regionUrls: () => regionUrls,
      logger: log.logger,
    });
    rack = createRackHttpServer({
      cache,
      regionUrls: () => regionUrls,
      logger: log.logger,
      bootloaders: { resolve: (name) => Promise.resolve(bootloaders.get(name)) },
      bootConfigs: createBootConfigService({
        source: {
          lookup(request) {
            lookups.push(request);
            return Promise.resolve(null);
          },
        },
        logger: log.logger,
      }),
    });
    port = (await rack.listen(0, '127.0.0.1')).port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await rack.close();
    await cache.close();
    await region.close();
    await dir.remove();
  });

  const imageUrl = (id: string) =>
    `${base}/images/${id}/ubuntu/amd64/ga-24.04/noble/stable/boot-kernel`;

  it('serves a boot file by sha256 with ETag, Content-Length and Accept-Ranges', async () => {
    const res = await fetch(imageUrl(kernelSha));
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${kernelSha}"`);
    expect(res.headers.get('content-length')).toBe(String(kernel.length));
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(kernelSha);
    const upper = await fetch(`${base}/images/${kernelSha.toUpperCase()}/x`);
    expect(upper.status).toBe(200);
    await upper.arrayBuffer();
    expect(region.fileRequests(kernelSha)).toHaveLength(1);
  });

  it('answers HEAD, single ranges, suffix ranges, 416 and If-None-Match', async () => {
    const head = await fetch(imageUrl(kernelSha), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(kernel.length));
    expect((await head.arrayBuffer()).byteLength).toBe(0);

    const part = await fetch(imageUrl(kernelSha), { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${kernel.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(kernel.subarray(10, 20))).toBe(true);

    const suffix = await fetch(imageUrl(kernelSha), { headers: { range: 'bytes=-5' } });
    expect(suffix.status).toBe(206);
    expect(Buffer.from(await suffix.arrayBuffer()).equals(kernel.subarray(-5))).toBe(true);

    const open = await fetch(imageUrl(kernelSha), {
      headers: { range: `bytes=${kernel.length - 3}-` },
    });
    expect(Buffer.from(await open.arrayBuffer()).equals(kernel.subarray(-3))).toBe(true);

    const past = await fetch(imageUrl(kernelSha), {
      headers: { range: `bytes=${kernel.length}-` },
    });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${kernel.length}`);
    await past.arrayBuffer();

    const cold = 'f'.repeat(64);
    const cached = await fetch(imageUrl(cold), { headers: { 'if-none-match': `"${cold}"` } });
    expect(cached.status).toBe(304);
    expect(region.fileRequests(cold)).toHaveLength(0);
    const other = await fetch(imageUrl(kernelSha), { headers: { 'if-none-match': `"${cold}"` } });
    expect(other.status).toBe(200);
    await other.arrayBuffer();
  });

  it('curl fetches a file byte-identical, and a range of it', async () => {
    const out = join(dir.path, 'curl-kernel');
    await run('curl', ['-sSf', '-o', out, imageUrl(kernelSha)]);
    expect((await readFile(out)).equals(kernel)).toBe(true);
    await run('curl', ['-sSf', '-r', '1000-1999', '-o', out, imageUrl(kernelSha)]);
    expect((await readFile(out)).equals(kernel.subarray(1000, 2000))).toBe(true);
  });

  it('aborts the connection when the file fails its sha256 check, so curl sees a failure', async () => {
    const bad = randomFile(1024 * 1024);
    const id = region.addFile(bad);
    region.corrupt(id, 1000);
    const out = join(dir.path, 'curl-bad');
    const exitCode = await run('curl', ['-sS', '-o', out, imageUrl(id)]).then(
      () => 0,
      (error: unknown) => (error as { code: number }).code,
    );
    // 18: "transfer closed with outstanding read data remaining".
    expect(exitCode).toBe(18);
    expect(cache.list().find((e) => e.sha256 === id)).toBeUndefined();
  });

  it('answers 404 for files no region has and 405 for other methods', async () => {
    const missing = await fetch(imageUrl('e'.repeat(64)));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('No region has boot file');
    const post = await fetch(imageUrl(kernelSha), { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${base}/images/not-a-sha/kernel`)).status).toBe(404);
  });

  it.each([
    '/images/../../etc/passwd',
    '/images/%2e%2e/%2e%2e/etc/passwd',
    `/images/${'a'.repeat(64)}/..%2f..%2fetc%2fpasswd`,
    '/images/..%5c..%5cetc%5cpasswd',
    '/grub/%00grub.cfg',
    '/pxelinux.cfg/%zz',
    '/MAAS/../etc/passwd',
    '/./bootx64.efi',
  ])('refuses the escaping path %s with 400', async (target) => {
    expect(await rawStatus(port, target)).toBe(400);
  });

  it('maps bootloader names through the resolver, in any folder, to cached or local files', async () => {
    const efi = randomFile(200_000);
    const efiSha = region.addFile(efi);
    bootloaders.set('bootx64.efi', { sha256: efiSha });
    const local = join(dir.path, 'lpxelinux.0');
    await writeFile(local, 'pxelinux-bytes');
    bootloaders.set('lpxelinux.0', { file: local });
    for (const path of ['/bootx64.efi', '/images/bootx64.efi', '/uefi/amd64/bootx64.efi']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe(`"${efiSha}"`);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(efiSha);
    }
    const pxe = await fetch(`${base}/lpxelinux.0`, { headers: { range: 'bytes=0-7' } });
    expect(pxe.status).toBe(206);
    expect(await pxe.text()).toBe('pxelinux');
    expect((await fetch(`${base}/ldlinux.c32`)).status).toBe(404);
    expect(region.fileRequests(efiSha)).toHaveLength(1);
  });

  it('hands boot config names to the renderer with the machine and rack addresses', async () => {
    const ipxe = await fetch(`${base}/ipxe.cfg`);
    expect(ipxe.status).toBe(200);
    expect(ipxe.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await ipxe.text()).toContain('#!ipxe');
    lookups.length = 0;
    expect((await fetch(`${base}/pxelinux.cfg/01-52-54-00-AB-CD-EF`)).status).toBe(404);
    expect((await fetch(`${base}/grub/grub.cfg-default-x86_64`)).status).toBe(404);
    expect((await fetch(`${base}/ipxe.cfg-52:54:00:ab:cd:ef`)).status).toBe(404);
    expect(lookups).toEqual([
      expect.objectContaining({
        mac: '52:54:00:ab:cd:ef',
        loader: 'pxelinux',
        remote_address: '127.0.0.1',
        rack_address: '127.0.0.1',
      }),
      expect.objectContaining({ arch: 'amd64', loader: 'grub', protocol: 'http' }),
      expect.objectContaining({ mac: '52:54:00:ab:cd:ef', loader: 'ipxe' }),
    ]);
  });

  it('proxies /MAAS/ to a region with X-Forwarded-For, streaming request bodies', async () => {
    const res = await fetch(`${base}/MAAS/metadata/latest/by-id/abc/?op=signal`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-forwarded-for': '10.9.9.9' },
      body: 'status=OK',
    });
    expect(res.status).toBe(200);
    const echoed = (await res.json()) as {
      method: string;
      path: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(echoed).toMatchObject({
      method: 'POST',
      path: '/MAAS/metadata/latest/by-id/abc/?op=signal',
      body: 'status=OK',
    });
    expect(echoed.headers['x-forwarded-for']).toBe('10.9.9.9, 127.0.0.1');
    expect(echoed.headers.host).toBe(`127.0.0.1:${port}`);
  });

  it('fails over to the next region when the first is down, and answers 503 when all are', async () => {
    regionUrls = [deadRegion, region.url];
    try {
      const res = await fetch(`${base}/MAAS/api/2.0/version/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-region')).toBe(region.url);
      regionUrls = [deadRegion];
      const down = await fetch(`${base}/MAAS/api/2.0/version/`);
      expect(down.status).toBe(503);
      expect(await down.text()).toContain('No region controller is reachable');
    } finally {
      regionUrls = [region.url];
    }
  });
});
