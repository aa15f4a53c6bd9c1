import { createHash } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBootFileCache } from './create-boot-file-cache.js';
import { FakeRegion } from './test-support/fake-region.js';
import {
  captureLogger,
  metricValue,
  randomFile,
  Registry,
  tempDir,
} from './test-support/test-env.js';
import type { BootFileCache } from './types.js';

const MiB = 1024 * 1024;
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('boot file cache: size limit, LRU, pins, restart', () => {
  let region: FakeRegion;
  let dir: { path: string; remove: () => Promise<void> };
  const caches: BootFileCache[] = [];
  let registry: Registry;
  const log = captureLogger();

  beforeEach(async () => {
    region = await new FakeRegion().start();
    dir = await tempDir('lru');
    registry = new Registry();
  });
  afterEach(async () => {
    await Promise.all(caches.splice(0).map((c) => c.close()));
    await region.close();
    await dir.remove();
  });

  const open = async (maxBytes: number, reg = registry) => {
    const cache = await createBootFileCache({
      dir: dir.path,
      maxBytes,
      regionUrls: [`${region.url}/MAAS/`],
      logger: log.logger,
      metricsRegistry: reg,
    });
    caches.push(cache);
    return cache;
  };
  const files = (count: number) =>
    Array.from({ length: count }, () => region.addFile(randomFile(MiB)));
  const onDisk = async () => (await readdir(dir.path)).filter((n) => n !== 'pins.json').sort();
  // Separate last-use times: LRU order is by millisecond timestamps.
  const use = async (cache: BootFileCache, id: string) => {
    const reader = await cache.open(id);
    await drain(reader.stream());
    reader.close();
    await sleep(3);
  };

  it('evicts the least recently used file to stay within the limit', async () => {
    const cache = await open(3 * MiB);
    const [a, b, c, d] = files(4) as [string, string, string, string];
    for (const id of [a, b, c]) await cache.warm(id);
    await sleep(3);
    await use(cache, a);
    await cache.warm(d);
    expect(await onDisk()).toEqual([a, c, d].sort());
    expect(cache.stats()).toEqual({ maxBytes: 3 * MiB, usedBytes: 3 * MiB, entries: 3 });
    expect(await metricValue(registry, 'kiln_rack_cache_evictions_total')).toBe(1);
    expect(cache.list().map((e) => e.sha256)).toEqual([d, a, c]);
  });

  it('never evicts a file while a reader has it open', async () => {
    const cache = await open(2 * MiB);
    const [a, b, c] = files(3) as [string, string, string];
    await cache.warm(a);
    await sleep(3);
    await cache.warm(b);
    const holding = await cache.open(a);
    await cache.warm(c);
    expect(await onDisk()).toEqual([a, c].sort());
    expect(sha(await drain(holding.stream()))).toBe(a);
    holding.close();
    expect(cache.list().find((e) => e.sha256 === a)?.readers).toBe(0);
  });

  it('streams a file bigger than the limit without caching it', async () => {
    const cache = await open(MiB);
    const big = region.addFile(randomFile(3 * MiB + 5));
    const reader = await cache.open(big);
    expect(sha(await drain(reader.stream()))).toBe(big);
    reader.close();
    expect(await onDisk()).toEqual([]);
    const again = await cache.open(big);
    expect(await again.size()).toBe(3 * MiB + 5);
    const middle = await again.read(2 * MiB, 1000);
    expect(middle.length).toBe(1000);
    again.close();
    await expect(cache.warm(big)).rejects.toMatchObject({ code: 'CACHE_TOO_LARGE' });
    expect(await onDisk()).toEqual([]);
  });

  it('fails an uncached stream whose bytes do not match, before its last byte', async () => {
    const cache = await open(MiB);
    const content = randomFile(2 * MiB);
    const big = region.addFile(content);
    region.corrupt(big, 10);
    const reader = await cache.open(big);
    let received = 0;
    const stream = reader.stream();
    stream.on('data', (chunk: Buffer) => (received += chunk.length));
    await expect(drain(stream)).rejects.toMatchObject({ code: 'CACHE_CHECKSUM_MISMATCH' });
    reader.close();
    expect(received).toBeLessThan(content.length);
    expect(await onDisk()).toEqual([]);
  });

  it('streams uncached when everything else is pinned or in use', async () => {
    const cache = await open(2 * MiB);
    const [a, b, c] = files(3) as [string, string, string];
    await cache.warm(a);
    await cache.warm(b);
    await cache.pin(a);
    const holding = await cache.open(b);
    const reader = await cache.open(c);
    expect(sha(await drain(reader.stream()))).toBe(c);
    reader.close();
    holding.close();
    expect(await onDisk()).toEqual([a, b].sort());
  });

  it('keeps pinned files over older unpinned ones, and pins survive a restart', async () => {
    const first = await open(2 * MiB);
    const [a, b, c, d] = files(4) as [string, string, string, string];
    await cache_warm_pin(first, a);
    await sleep(3);
    await first.warm(b);
    await sleep(3);
    await first.warm(c);
    expect(await onDisk()).toEqual([a, c].sort());
    await first.close();
    const second = await open(2 * MiB, new Registry());
    expect(second.list().find((e) => e.sha256 === a)?.pinned).toBe(true);
    await second.unpin(a);
    await second.warm(d);
    expect(await onDisk()).toEqual([c, d].sort());

    async function cache_warm_pin(cache: BootFileCache, id: string) {
      await cache.pin(id);
      await cache.warm(id);
    }
  });

  it('rebuilds its index from disk: keeps files and partials, removes junk, resumes the partial', async () => {
    const first = await open(8 * MiB);
    const [a] = files(1) as [string];
    const bContent = randomFile(2 * MiB);
    const b = region.addFile(bContent);
    await first.warm(a);
    await first.close();
    await writeFile(join(dir.path, `${b}.partial`), bContent.subarray(0, MiB + 3));
    await writeFile(join(dir.path, 'leftover.tmp'), 'junk');
    await writeFile(join(dir.path, `${'c'.repeat(64)}.incomplete`), 'junk');
    await mkdir(join(dir.path, 'somedir'));
    const second = await open(8 * MiB, new Registry());
    expect(await readdir(dir.path)).toEqual([a, `${b}.partial`].sort());
    expect(second.list()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sha256: a, state: 'complete', size: MiB }),
        expect.objectContaining({ sha256: b, state: 'partial', size: MiB + 3 }),
      ]),
    );
    const hit = await second.open(a);
    expect(hit.hit).toBe(true);
    hit.close();
    const resumed = await second.open(b);
    expect(sha(await drain(resumed.stream()))).toBe(b);
    resumed.close();
    expect(region.fileRequests(b).map((r) => r.range)).toEqual([`bytes=${MiB + 3}-`]);
    expect(region.fileRequests(a)).toHaveLength(1);
  });

  it('closing mid-fetch keeps the partial, fails its readers, and the next start resumes it', async () => {
    const first = await open(8 * MiB);
    const content = randomFile(2 * MiB);
    const id = region.addFile(content);
    const gate = region.pauseAt(id, MiB);
    const reader = await first.open(id);
    const body = drain(reader.stream());
    await gate.reached;
    while ((first.list()[0]?.size ?? 0) < MiB) await sleep(5);
    await first.close();
    await expect(body).rejects.toMatchObject({ code: 'CACHE_CLOSED' });
    reader.close();
    expect(await readdir(dir.path)).toEqual([`${id}.partial`]);
    const second = await open(8 * MiB, new Registry());
    const again = await second.open(id);
    expect(sha(await drain(again.stream()))).toBe(id);
    again.close();
    expect(region.fileRequests(id).map((r) => r.range)).toEqual([undefined, `bytes=${MiB}-`]);
  });

  it('lowering the limit evicts on start', async () => {
    const first = await open(4 * MiB);
    const ids = files(3);
    for (const id of ids) {
      await first.warm(id);
      await sleep(3);
    }
    await first.close();
    const second = await open(2 * MiB, new Registry());
    expect(second.stats().usedBytes).toBe(2 * MiB);
    expect(await onDisk()).toEqual([ids[1], ids[2]].sort());
    await expect(open(0, new Registry())).rejects.toMatchObject({ code: 'CACHE_INVALID_SIZE' });
  });
});
