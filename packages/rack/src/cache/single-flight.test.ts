import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBootFileCache } from './create-boot-file-cache.js';
import { FakeRegion } from './test-support/fake-region.js';
import {
  captureLogger,
  deadUrl,
  metricValue,
  randomFile,
  Registry,
  tempDir,
} from './test-support/test-env.js';
import type { BootFileCache } from './types.js';

const MiB = 1024 * 1024;

async function drain(stream: Readable, onChunk?: (received: number) => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    received += (chunk as Buffer).length;
    onChunk?.(received);
  }
  return Buffer.concat(chunks);
}

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('boot file cache: region fetches', () => {
  let region: FakeRegion;
  let dir: { path: string; remove: () => Promise<void> };
  let cache: BootFileCache | undefined;
  const log = captureLogger();
  let registry: Registry;

  beforeEach(async () => {
    region = await new FakeRegion().start();
    dir = await tempDir('cache');
    registry = new Registry();
  });
  afterEach(async () => {
    await cache?.close();
    cache = undefined;
    await region.close();
    await dir.remove();
  });

  const open = async (urls: string[] = [region.url], extra: { maxAttempts?: number } = {}) =>
    (cache = await createBootFileCache({
      dir: dir.path,
      regionUrls: urls,
      logger: log.logger,
      metricsRegistry: registry,
      ...(extra.maxAttempts === undefined ? {} : { maxRegionAttempts: extra.maxAttempts }),
    }));

  it('fetches a cold file once for many simultaneous readers, all getting the right bytes', async () => {
    const content = randomFile(8 * MiB);
    const id = region.addFile(content);
    const c = await open();
    const readers = await Promise.all(Array.from({ length: 30 }, () => c.open(id)));
    const bodies = await Promise.all(readers.map((r) => drain(r.stream())));
    readers.forEach((r) => r.close());
    expect(region.fileRequests(id)).toHaveLength(1);
    for (const body of bodies) expect(sha(body)).toBe(id);
    expect(await readdir(dir.path)).toEqual([id]);
    expect(await metricValue(registry, 'kiln_rack_cache_region_fetches_total')).toBe(1);
    expect(await metricValue(registry, 'kiln_rack_cache_misses_total')).toBe(30);
    const again = await c.open(id);
    expect(again.hit).toBe(true);
    expect(sha(await drain(again.stream()))).toBe(id);
    again.close();
    expect(region.fileRequests(id)).toHaveLength(1);
    expect(await metricValue(registry, 'kiln_rack_cache_hits_total')).toBe(1);
    expect(await metricValue(registry, 'kiln_rack_cache_served_bytes_total')).toBe(
      31 * content.length,
    );
  });

  it('streams bytes to readers while the region is still sending', async () => {
    const content = randomFile(4 * MiB);
    const id = region.addFile(content);
    const gate = region.pauseAt(id, 2 * MiB);
    const c = await open();
    const reader = await c.open(id);
    let received = 0;
    let firstBytes!: () => void;
    const gotBytes = new Promise<void>((resolve) => (firstBytes = resolve));
    const body = drain(reader.stream(), (n) => {
      received = n;
      if (n >= MiB) firstBytes();
    });
    await gate.reached;
    await gotBytes;
    // The region is parked mid-file, yet the client already holds at least 1 MiB.
    expect(received).toBeGreaterThanOrEqual(MiB);
    expect(received).toBeLessThanOrEqual(2 * MiB);
    expect(c.list()[0]).toMatchObject({ sha256: id, state: 'fetching', totalSize: 4 * MiB });
    gate.open();
    expect(sha(await body)).toBe(id);
    reader.close();
  });

  it('resumes a cut region transfer with Range from the bytes already on disk', async () => {
    const content = randomFile(3 * MiB + 777);
    const id = region.addFile(content);
    const cutAt = 2 * MiB + 123;
    region.cutAt(id, cutAt);
    const c = await open();
    const reader = await c.open(id);
    expect(sha(await drain(reader.stream()))).toBe(id);
    reader.close();
    const requests = region.fileRequests(id);
    expect(requests).toHaveLength(2);
    expect(requests[0]?.range).toBeUndefined();
    // Resumed from what had reached the disk (bytes still in Node's socket buffer at the cut are
    // lost with the connection), never from zero.
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(requests[1]?.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(MiB);
    expect(resumedAt).toBeLessThanOrEqual(cutAt);
    expect(await metricValue(registry, 'kiln_rack_cache_region_fetch_bytes_total')).toBe(
      content.length,
    );
  });

  it('drops a stalled region connection and resumes it with Range', async () => {
    const content = randomFile(2 * MiB);
    const id = region.addFile(content);
    region.pauseAt(id, MiB); // never opened: the region goes quiet mid-file
    cache = await createBootFileCache({
      dir: dir.path,
      regionUrls: [region.url],
      logger: log.logger,
      metricsRegistry: registry,
      regionIdleTimeoutMs: 300,
    });
    const reader = await cache.open(id);
    expect(sha(await drain(reader.stream()))).toBe(id);
    reader.close();
    const requests = region.fileRequests(id);
    expect(requests).toHaveLength(2);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(requests[1]?.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(MiB);
    expect(await metricValue(registry, 'kiln_rack_cache_region_fetch_failures_total')).toBe(1);
  });

  it('discards a file with a wrong byte, logs it, and fails every reader following it', async () => {
    const content = randomFile(2 * MiB);
    const id = region.addFile(content);
    region.corrupt(id, MiB + 5);
    const c = await open();
    const readers = await Promise.all([c.open(id), c.open(id)]);
    const sizes = [0, 0];
    const results = await Promise.allSettled(
      readers.map((r, i) => drain(r.stream(), (n) => (sizes[i] = n))),
    );
    readers.forEach((r) => r.close());
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({
        code: 'CACHE_CHECKSUM_MISMATCH',
      });
    }
    // Nobody got the whole (wrong) file.
    for (const size of sizes) expect(size).toBeLessThan(content.length);
    expect(await readdir(dir.path)).toEqual([]);
    expect(c.list()).toEqual([]);
    const logged = log.lines().find((l) => l.msg === 'boot file failed its sha256 check');
    expect(logged).toMatchObject({ sha256: id, level: 50 });
    const retry = await c.open(id);
    await expect(drain(retry.stream())).rejects.toMatchObject({ code: 'CACHE_CHECKSUM_MISMATCH' });
    retry.close();
    expect(region.fileRequests(id)).toHaveLength(2);
  });

  it('fails over to the next region URL when the first is down', async () => {
    const content = randomFile(MiB);
    const id = region.addFile(content);
    const c = await open([await deadUrl(), region.url]);
    const reader = await c.open(id);
    expect(sha(await drain(reader.stream()))).toBe(id);
    reader.close();
    expect(region.fileRequests(id)).toHaveLength(1);
  });

  it('answers 404-style errors for files no region has, leaving nothing behind', async () => {
    const c = await open();
    const reader = await c.open('a'.repeat(64));
    await expect(reader.size()).rejects.toMatchObject({
      code: 'CACHE_FILE_NOT_FOUND',
      status: 404,
    });
    reader.close();
    expect(await readdir(dir.path)).toEqual([]);
    await expect(c.open('../etc/passwd')).rejects.toMatchObject({ code: 'CACHE_INVALID_SHA256' });
  });

  it('gives up after repeated failures when every region is down and keeps nothing', async () => {
    const c = await open([await deadUrl()], { maxAttempts: 2 });
    const reader = await c.open('b'.repeat(64));
    await expect(reader.read(0, 512)).rejects.toMatchObject({ code: 'CACHE_REGION_UNAVAILABLE' });
    reader.close();
  });

  it('reads blocks at offsets as they arrive (the TFTP access pattern)', async () => {
    const content = randomFile(MiB + 100);
    const id = region.addFile(content);
    const gate = region.pauseAt(id, 600_000);
    const c = await open();
    const reader = await c.open(id);
    expect(await reader.size()).toBe(content.length);
    expect(reader.knownSize).toBe(content.length);
    const first = await reader.read(0, 1468);
    expect(first.equals(content.subarray(0, 1468))).toBe(true);
    const late = reader.read(700_000, 65_464);
    gate.open();
    expect((await late).equals(content.subarray(700_000, 765_464))).toBe(true);
    const tail = await reader.read(content.length - 50, 65_464);
    expect(tail.equals(content.subarray(content.length - 50))).toBe(true);
    expect((await reader.read(content.length, 512)).length).toBe(0);
    reader.close();
  });
});
