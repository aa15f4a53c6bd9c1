import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBootFileCache } from './create-boot-file-cache.js';
import { FakeRegion } from './test-support/fake-region.js';
import { captureLogger, randomFile, Registry, tempDir } from './test-support/test-env.js';
import type { BootFileCache } from './types.js';

const MiB = 1024 * 1024;
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * A real, small tmpfs: the cache writes into it until the kernel says ENOSPC (short writes first,
 * then errors), exactly what a rack's disk does when it fills. Needs root (CI runs as root).
 */
async function mountTmpfs(path: string, bytes: number): Promise<() => Promise<void>> {
  await mkdir(path, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', path]);
  return async () => {
    execFileSync('umount', ['-l', path]);
    await rm(path, { recursive: true, force: true });
  };
}

describe('boot file cache on a full disk', () => {
  let region: FakeRegion;
  let dir: { path: string; remove: () => Promise<void> };
  let unmount: () => Promise<void>;
  let cache: BootFileCache | undefined;
  const log = captureLogger();

  beforeEach(async () => {
    region = await new FakeRegion().start();
    dir = await tempDir('cache-full');
    unmount = await mountTmpfs(join(dir.path, 'disk'), 4 * MiB);
  });
  afterEach(async () => {
    await cache?.close();
    cache = undefined;
    await region.close();
    await unmount();
    await dir.remove();
  });

  it('ends a cold fetch on ENOSPC, removes the partial, and serves the right bytes once space is freed', async () => {
    const disk = join(dir.path, 'disk');
    const cacheDir = join(disk, 'cache');
    const content = randomFile(3 * MiB);
    const sha256 = region.addFile(content);
    // Leave about 1 MiB free (not page-aligned) so the fetch runs into short writes, then ENOSPC.
    const { bavail, bsize } = await statfs(disk);
    await writeFile(join(disk, 'filler'), Buffer.alloc(bavail * bsize - MiB - 5000));
    cache = await createBootFileCache({
      dir: cacheDir,
      regionUrls: [region.url],
      logger: log.logger,
      metricsRegistry: new Registry(),
      maxRegionAttempts: 3,
    });
    let settled = false;
    const warm = cache.warm(sha256).finally(() => (settled = true));
    warm.catch(() => undefined);
    // The disk filled: either the fetch already ended, or it is retrying the region.
    await vi.waitFor(
      () => {
        const retried = log.lines().some((l) => l.msg === 'region fetch interrupted');
        expect(settled || retried).toBe(true);
      },
      { timeout: 15_000, interval: 20 },
    );
    await rm(join(disk, 'filler'));
    const outcome = await warm.then(
      () => 'cached',
      (error: unknown) => (error as { code?: string }).code,
    );
    // The transfer ended with a disk error naming the folder; no partial was left behind.
    expect(outcome).toBe('CACHE_DISK_FULL');
    expect(await readdir(cacheDir)).toEqual([]);
    const line = log.lines().find((l) => l.msg === 'boot file cache disk is full');
    expect(line).toMatchObject({ sha256, dir: cacheDir });

    // Space is back: the next open fetches again and serves exactly the right bytes.
    const reader = await cache.open(sha256);
    const served = await reader.read(0, content.length);
    reader.close();
    expect(sha(served)).toBe(sha256);
    expect(sha(await readFile(join(cacheDir, sha256)))).toBe(sha256);
  }, 30_000);
});
