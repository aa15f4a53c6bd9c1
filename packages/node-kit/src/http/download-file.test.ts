import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDirectory, type DirectoryServer } from '@kiln/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadFile, fetchBytes, type DownloadProgress } from './index.js';

const fast = { baseDelayMs: 1, maxDelayMs: 5 };
let dir: string;
let served: string;
let out: string;
let server: DirectoryServer;
const blob = randomBytes(256 * 1024 + 13);
const sha256 = createHash('sha256').update(blob).digest('hex');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-http-'));
  served = join(dir, 'served');
  out = join(dir, 'out');
  await writeFile(join(dir, 'placeholder'), '');
  await rm(join(dir, 'placeholder'));
  await import('node:fs/promises').then((fs) => fs.mkdir(join(served, 'img'), { recursive: true }));
  await writeFile(join(served, 'img', 'blob'), blob);
  server = await serveDirectory(served);
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const url = (): string => `${server.url}img/blob`;
const dest = (): string => join(out, 'blob');

describe('downloadFile', () => {
  it('downloads, verifies and publishes atomically with progress', async () => {
    const progress: DownloadProgress[] = [];
    const result = await downloadFile(url(), dest(), {
      sha256,
      size: blob.length,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({ sha256, size: blob.length, resumedFrom: 0, attempts: 1 });
    expect(Buffer.compare(await readFile(dest()), blob)).toBe(0);
    expect(await readdir(out)).toEqual(['blob']);
    expect(progress.at(-1)?.received).toBe(blob.length);
    expect(
      progress.every((p, i) => i === 0 || p.received >= (progress[i - 1]?.received ?? 0)),
    ).toBe(true);
  });

  it('resumes with Range after the server cuts the connection mid-file', async () => {
    server.addFault({ kind: 'cut', path: '/img/blob', afterBytes: 100_000, times: 1 });
    const result = await downloadFile(url(), dest(), { sha256, size: blob.length, ...fast });
    expect(result.attempts).toBe(2);
    const reqs = server.requestsFor('/img/blob');
    expect(reqs.map((r) => r.range)).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)]);
    const resumedAt = Number(/=(\d+)-/.exec(reqs[1]?.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(reqs[1]?.ifRange).toMatch(/^"/);
    expect(reqs[1]?.status).toBe(206);
    expect(Buffer.compare(await readFile(dest()), blob)).toBe(0);
  });

  it('resumes a partial left by an earlier process', async () => {
    await import('node:fs/promises').then((fs) => fs.mkdir(out, { recursive: true }));
    await writeFile(`${dest()}.partial`, blob.subarray(0, 5000));
    const result = await downloadFile(url(), dest(), { sha256, size: blob.length, ...fast });
    expect(result.resumedFrom).toBe(5000);
    expect(server.requestsFor('/img/blob').map((r) => r.range)).toEqual(['bytes=5000-']);
  });

  it('a later call resumes with If-Range from the validator kept beside the partial', async () => {
    server.addFault({ kind: 'cut', path: '/img/blob', afterBytes: 60_000, times: 1 });
    await expect(
      downloadFile(url(), dest(), { sha256, size: blob.length, retries: 0 }),
    ).rejects.toMatchObject({
      code: 'HTTP_TRUNCATED',
    });
    expect((await readdir(out)).sort()).toEqual(['blob.partial', 'blob.validator.partial']);
    const etag = await readFile(join(out, 'blob.validator.partial'), 'utf8');
    const result = await downloadFile(url(), dest(), { sha256, size: blob.length, retries: 0 });
    expect(result.resumedFrom).toBe(60_000);
    expect(server.requestsFor('/img/blob')[1]).toMatchObject({
      range: 'bytes=60000-',
      ifRange: etag,
      status: 206,
    });
    expect(await readdir(out)).toEqual(['blob']);
  });

  it('starts over instead of splicing when the file changed on the server', async () => {
    server.addFault({ kind: 'cut', path: '/img/blob', afterBytes: 60_000, times: 1 });
    await expect(
      downloadFile(url(), dest(), { size: blob.length, retries: 0 }),
    ).rejects.toMatchObject({
      code: 'HTTP_TRUNCATED',
    });
    const changed = Buffer.from(blob).fill(7, 0, 10);
    await writeFile(join(served, 'img', 'blob'), changed);
    await utimes(join(served, 'img', 'blob'), new Date(), new Date(Date.now() + 5000));
    const result = await downloadFile(url(), dest(), { size: blob.length, retries: 0 });
    expect(result.sha256).toBe(createHash('sha256').update(changed).digest('hex'));
    expect(server.requestsFor('/img/blob')[1]).toMatchObject({
      range: 'bytes=60000-',
      status: 200,
    });
  });

  it('retries 500 answers with backoff', async () => {
    server.addFault({ kind: 'status', path: '/img/blob', status: 500, times: 2 });
    const result = await downloadFile(url(), dest(), { sha256, size: blob.length, ...fast });
    expect(result.attempts).toBe(3);
    expect(server.requestsFor('/img/blob').map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('starts the file over when the server ignores Range and answers 200', async () => {
    await import('node:fs/promises').then((fs) => fs.mkdir(out, { recursive: true }));
    await writeFile(`${dest()}.partial`, blob.subarray(0, 7000));
    server.addFault({ kind: 'ignore-range', path: '/img/blob' });
    const result = await downloadFile(url(), dest(), { sha256, size: blob.length, ...fast });
    expect(result.resumedFrom).toBe(0);
    expect(server.requestsFor('/img/blob').map((r) => [r.range, r.status])).toEqual([
      ['bytes=7000-', 200],
    ]);
    expect(Buffer.compare(await readFile(dest()), blob)).toBe(0);
  });

  it('discards the partial and names the file when a byte is wrong', async () => {
    server.addFault({ kind: 'wrong-byte', path: '/img/blob', offset: 1234 });
    const error = await downloadFile(url(), dest(), { sha256, size: blob.length, ...fast }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'HTTP_CHECKSUM_MISMATCH' });
    expect((error as Error).message).toContain(dest());
    expect(await readdir(out)).toEqual([]);
    expect(server.requestsFor('/img/blob')).toHaveLength(1);
  });

  it('starts over once when a resumed partial from elsewhere does not verify', async () => {
    await import('node:fs/promises').then((fs) => fs.mkdir(out, { recursive: true }));
    await writeFile(`${dest()}.partial`, Buffer.alloc(3000, 1));
    const result = await downloadFile(url(), dest(), { sha256, size: blob.length, ...fast });
    expect(result.sha256).toBe(sha256);
    expect(server.requestsFor('/img/blob').map((r) => r.range)).toEqual(['bytes=3000-', undefined]);
  });

  it('recovers from 416 when the partial is as long as the file but its size was not given', async () => {
    await import('node:fs/promises').then((fs) => fs.mkdir(out, { recursive: true }));
    await writeFile(`${dest()}.partial`, Buffer.alloc(blob.length, 2));
    const result = await downloadFile(url(), dest(), { sha256, ...fast });
    expect(result.sha256).toBe(sha256);
    expect(server.requestsFor('/img/blob').map((r) => r.status)).toEqual([416, 200]);
  });

  it('rejects a too-large body without publishing it', async () => {
    const error = await downloadFile(url(), dest(), { size: 1000, ...fast }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'HTTP_SIZE_MISMATCH' });
    expect(await readdir(out)).toEqual([]);
  });

  it('fails fast on 404 without retrying', async () => {
    const error = await downloadFile(`${server.url}nope`, dest(), fast).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HTTP_STATUS', details: { httpStatus: 404 } });
    expect(server.requestsFor('/nope')).toHaveLength(1);
  });

  it('stops when aborted and keeps the partial for a later resume', async () => {
    server.addFault({ kind: 'cut', path: '/img/blob', afterBytes: 50_000 });
    const controller = new AbortController();
    const error = await downloadFile(url(), dest(), {
      sha256,
      size: blob.length,
      baseDelayMs: 60_000,
      onProgress: (p) => {
        if (p.received >= 50_000) controller.abort();
      },
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HTTP_ABORTED' });
    expect((await readdir(out)).sort()).toEqual(['blob.partial', 'blob.validator.partial']);
  });
});

describe('fetchBytes and proxies', () => {
  it('fetches a body and reports 404 with its status', async () => {
    expect(Buffer.compare(await fetchBytes(url()), blob)).toBe(0);
    await expect(fetchBytes(`${server.url}missing`, fast)).rejects.toMatchObject({
      details: { httpStatus: 404 },
    });
  });

  it('sends http requests through http_proxy unless no_proxy matches', async () => {
    const seen: string[] = [];
    const proxy = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.end('via proxy');
    });
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const body = await fetchBytes('http://mirror.invalid/streams/v1/index.json', {
        env: { http_proxy: proxyUrl },
      });
      expect(body.toString()).toBe('via proxy');
      expect(seen).toEqual(['http://mirror.invalid/streams/v1/index.json']);
      const direct = await fetchBytes(url(), {
        env: { http_proxy: proxyUrl, no_proxy: 'localhost,127.0.0.1' },
      });
      expect(direct.length).toBe(blob.length);
      expect(seen).toHaveLength(1);
    } finally {
      await new Promise<void>((ok) => proxy.close(() => ok()));
    }
  });
});
