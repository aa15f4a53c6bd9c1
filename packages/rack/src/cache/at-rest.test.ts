import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { open as openFile, readdir, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBootConfigService } from '../bootconfig/index.js';
import { createRackHttpServer, type RackHttpServer } from '../http/rack-http-server.js';
import { fetchFile } from '../tftp/test-client.js';
import { startTestServer, type TestServer } from '../tftp/test-fixtures.js';
import { createBootFileCache } from './create-boot-file-cache.js';
import { FakeRegion } from './test-support/fake-region.js';
import {
  captureLogger,
  metricValue,
  randomFile,
  Registry,
  tempDir,
} from './test-support/test-env.js';
import type { BootFileCache, BootFileCacheOptions } from './types.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function flipByte(path: string, offset: number): Promise<void> {
  const file = await openFile(path, 'r+');
  const one = Buffer.alloc(1);
  await file.read(one, 0, 1, offset);
  one[0] = (one[0] ?? 0) ^ 0x01;
  await file.write(one, 0, 1, offset);
  await file.close();
}

// Faults at rest, injected from outside as a rotting disk or a careless person would: the cache
// must never hand out a file whose bytes are not what its name says, over HTTP or TFTP.
describe('boot file cache: files at rest', () => {
  const log = captureLogger();
  let region: FakeRegion;
  let dir: { path: string; remove: () => Promise<void> };
  let cacheDir: string;
  let cache: BootFileCache | undefined;
  let registry: Registry;
  let http: RackHttpServer | undefined;
  let tftp: TestServer | undefined;
  const content = randomFile(2 * MiB + 123);
  let sha256: string;

  const start = async (extra: Partial<BootFileCacheOptions> = {}) => {
    registry = new Registry();
    cache = await createBootFileCache({
      dir: cacheDir,
      regionUrls: [region.url],
      logger: log.logger,
      metricsRegistry: registry,
      scrubBytesPerSecond: 0,
      ...extra,
    });
    const opened = cache;
    http = createRackHttpServer({
      cache: opened,
      regionUrls: [region.url],
      logger: log.logger,
      bootloaders: { resolve: () => Promise.resolve(undefined) },
      bootConfigs: createBootConfigService({
        source: { lookup: () => Promise.resolve(null) },
        logger: log.logger,
      }),
    });
    const port = (await http.listen(0, '127.0.0.1')).port;
    tftp = await startTestServer(
      {},
      {
        resolve: async (path) => {
          const reader = await opened.open(path);
          return {
            size: await reader.size(),
            read: (target, position) => reader.readInto(target, position),
            close: () => reader.close(),
          };
        },
      },
    );
    return { url: `http://127.0.0.1:${port}/images/${sha256}/kernel` };
  };
  const stop = async () => {
    await http?.close();
    await tftp?.server.close();
    await cache?.close();
    http = undefined;
    tftp = undefined;
    cache = undefined;
  };
  const curl = (url: string) =>
    run('curl', ['-sSf', '-o', join(dir.path, 'out'), url]).then(
      async () => sha(await readFile(join(dir.path, 'out'))),
      () => 'curl failed',
    );
  const tftpGet = (name: string) =>
    fetchFile(tftp?.port ?? 0, name, { retries: 3 }).then(
      (result) => sha(result.data),
      () => 'tftp failed',
    );
  const corruptCount = () => metricValue(registry, 'kiln_rack_cache_corrupt_files_total');

  beforeEach(async () => {
    region = await new FakeRegion().start();
    dir = await tempDir('at-rest');
    cacheDir = join(dir.path, 'cache');
    sha256 = region.addFile(content);
    const first = await start();
    expect(await curl(first.url)).toBe(sha256);
    await stop();
  });
  afterEach(async () => {
    await stop();
    await region.close();
    await dir.remove();
  });

  it('after a restart, a flipped byte fails the HTTP client before its last byte; the file is quarantined and fetched again', async () => {
    await flipByte(join(cacheDir, sha256), 1_500_000);
    const { url } = await start();
    const fetchesBefore = region.fileRequests(sha256).length;
    expect(await curl(url)).toBe('curl failed');
    expect(await corruptCount()).toBe(1);
    expect(
      log.lines().some((l) => l.msg?.toString().startsWith('cached boot file is corrupt')),
    ).toBe(true);
    // Fetched again from the region by itself; the next client gets the right bytes.
    await vi.waitFor(async () => expect(await cache?.warm(sha256)).toMatchObject({ sha256 }));
    expect(region.fileRequests(sha256).length).toBeGreaterThan(fetchesBefore);
    expect(await curl(url)).toBe(sha256);
    expect(await tftpGet(sha256)).toBe(sha256);
    expect((await readdir(join(cacheDir, 'quarantine'))).length).toBe(1);
  });

  it('after a restart, a flipped byte is not served over TFTP either', async () => {
    await flipByte(join(cacheDir, sha256), 10);
    await start();
    expect(await tftpGet(sha256)).toBe('tftp failed');
    expect(await corruptCount()).toBe(1);
    await vi.waitFor(async () => expect(await tftpGet(sha256)).toBe(sha256), { timeout: 10_000 });
  });

  it('a file truncated at rest is never served as a shorter complete file', async () => {
    await truncate(join(cacheDir, sha256), Math.floor(content.length / 2));
    const { url } = await start();
    // The first client may fail (or get a fresh copy); it never gets the half file.
    const got = await curl(url);
    expect([sha256, 'curl failed']).toContain(got);
    expect(await corruptCount()).toBe(1);
    await vi.waitFor(async () => expect(await curl(url)).toBe(sha256), { timeout: 10_000 });
  });

  it('a file truncated while the rack runs is caught by the size check on open', async () => {
    const { url } = await start();
    expect(await curl(url)).toBe(sha256); // verified on this first serve
    await truncate(join(cacheDir, sha256), 1000);
    expect(await curl(url)).toBe(sha256); // the open saw the wrong size and fetched afresh
    expect(await corruptCount()).toBe(1);
  });

  it('the scrub finds a flipped byte with no client asking, quarantines it and fetches it again', async () => {
    const { url } = await start({ scrubBytesPerSecond: 0 });
    expect(await curl(url)).toBe(sha256);
    await stop();
    await flipByte(join(cacheDir, sha256), 2 * MiB);
    await start({ scrubBytesPerSecond: 64 * MiB });
    await vi.waitFor(async () => expect(await corruptCount()).toBe(1), { timeout: 10_000 });
    expect(await metricValue(registry, 'kiln_rack_cache_verify_bytes_total')).toBeGreaterThan(0);
    await vi.waitFor(() => {
      const entry = cache?.list().find((e) => e.sha256 === sha256);
      expect(entry?.state).toBe('complete');
    });
    expect(sha(await readFile(join(cacheDir, sha256)))).toBe(sha256);
  });

  it('a good file after a restart is verified once on first serve and served in full', async () => {
    const { url } = await start();
    expect(await curl(url)).toBe(sha256);
    expect(await metricValue(registry, 'kiln_rack_cache_verified_files_total')).toBe(1);
    expect(await tftpGet(sha256)).toBe(sha256);
    expect(await metricValue(registry, 'kiln_rack_cache_verified_files_total')).toBe(1);
    expect(await corruptCount()).toBe(0);
  });
});
