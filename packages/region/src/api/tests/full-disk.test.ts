import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFetch, formBody } from '../../testing/index.js';
import { startTestRegion, type TestRegion } from '../../testing/start-test-region.js';

/**
 * The region's SQLite database on a real, small tmpfs that the test fills: reads must keep
 * answering, writes must fail with an error naming the disk and its free space, and everything
 * must work again once space is freed. Needs root to mount (CI runs as root).
 */
describe('[sqlite] region on a full database disk', () => {
  let base: string;
  let disk: string;
  let region: TestRegion;
  const admin = (path: string, init: RequestInit = {}) =>
    apiFetch(region.url, path, { ...init, apiKey: region.adminApiKey });

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'kiln-full-db-'));
    disk = join(base, 'disk');
    await mkdir(disk);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', disk]);
    region = await startTestRegion({
      dialect: 'sqlite',
      env: { KILN_DATABASE_URL: `sqlite:${join(disk, 'kiln.db')}` },
    });
  });
  afterAll(async () => {
    await region.close();
    execFileSync('umount', ['-l', disk]);
    await rm(base, { recursive: true, force: true });
  });

  it('keeps answering reads, fails writes with DB_DISK_FULL naming the disk, and recovers', async () => {
    const { bavail, bsize } = await statfs(disk);
    await writeFile(join(disk, 'filler'), Buffer.alloc(bavail * bsize));
    for (const path of ['boot-resources/?op=is_importing', 'events/?op=query', 'zones/']) {
      const response = await admin(path);
      expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    }
    // Big enough that SQLite needs new pages, whatever free pages the file still has.
    const write = await admin('zones/', {
      method: 'POST',
      body: formBody({ name: 'full-disk', description: 'x'.repeat(200_000) }),
    });
    expect(write.status).toBe(507);
    const text = await write.text();
    expect(text).toContain('The database disk is full');
    expect(text).toContain(join(disk, 'kiln.db'));
    expect(text).toMatch(/\d+ bytes free/);
    expect((await admin('zones/full-disk/')).status).toBe(404);

    await rm(join(disk, 'filler'));
    const again = await admin('zones/', {
      method: 'POST',
      body: formBody({ name: 'full-disk', description: 'x'.repeat(200_000) }),
    });
    expect(again.status, await again.clone().text()).toBe(200);
  });
});
