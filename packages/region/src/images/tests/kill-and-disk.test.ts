import { spawn, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@kiln/node-kit';
import { describeEachDialect } from '@kiln/testkit';
import { expect, it } from 'vitest';
import { setConfigValue } from '../../maas-config/index.js';
import { startRegion } from '../../server/index.js';
import { startImportFixture, waitIdle } from './import-fixture.js';

const SQUASHFS = '/noble/amd64/20250718/squashfs';
const RUN_REGION = join(import.meta.dirname, 'support/run-region.ts');

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describeEachDialect('image import across a SIGKILL and on a small disk', (context) => {
  it('completes after SIGKILL without re-downloading finished files or leaving unknown ones', async () => {
    const fx = await startImportFixture(context.dialect);
    const dataDir = await mkdtemp(join(tmpdir(), 'kiln-kill-'));
    try {
      const files = fx.stream.files;
      // Squashfs keeps failing part-way, so the child is still busy with it when killed.
      fx.server.addFault({ kind: 'cut', path: SQUASHFS, afterBytes: 6000, times: 3 });
      const env = {
        ...process.env,
        KILN_DATA_DIR: dataDir,
        KILN_DATABASE_URL: context.database().url,
        KILN_LISTEN_ADDRESS: '127.0.0.1',
        KILN_REGION_PORT: '0',
        KILN_BOOT_SOURCE_URL: fx.server.url,
        KILN_BOOT_SOURCE_KEYRING: fx.keyringPath,
      };
      const child = spawn(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', RUN_REGION],
        { env, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = new Promise((resolve) => child.on('exit', resolve));
      const store = join(dataDir, 'image-storage');
      const squashSha = files.get(SQUASHFS.slice(1))?.sha256 ?? '';
      await until(
        async () =>
          fx.server.requestsFor(SQUASHFS).length >= 2 &&
          (await readdir(store).catch((): string[] => [])).includes(`${squashSha}.partial`),
        'a resumed squashfs transfer',
      );
      child.kill('SIGKILL');
      await exited;
      const beforeRestart = new Set((await readdir(store)).filter((n) => /^[0-9a-f]{64}$/.test(n)));
      expect(beforeRestart.has(squashSha)).toBe(false);
      await mkdir(join(store, 'stray-dir'));
      const seen = fx.server.requests.length;
      fx.server.clearFaults();

      const config = loadConfig({ env });
      const region = await startRegion({ config });
      try {
        await setConfigValue(region.db, 'boot_images_auto_import', 'false');
        const service = region.images;
        expect(await service.startImport('after kill')).toBe(true);
        await waitIdle(service);
        const after = fx.server.requests.slice(seen).filter((r) => !r.path.startsWith('/streams/'));
        const bySha = new Map([...files.values()].map((f) => [f.sha256, `/${f.path}`]));
        for (const sha of beforeRestart)
          expect(after.map((r) => r.path)).not.toContain(bySha.get(sha));
        const resumed = after.find((r) => r.path === SQUASHFS);
        expect(resumed?.range).toMatch(/^bytes=[1-9]\d*-$/);
        const wanted = new Set(
          (await region.db.selectFrom('boot_resource_files').select('sha256').execute()).map(
            (f) => f.sha256,
          ),
        );
        const names = (await readdir(store)).filter((n) => n !== 'bootloaders').sort();
        expect(names).toEqual([...wanted].sort());
      } finally {
        await region.close();
      }
    } finally {
      await fx.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses to import up front on a small filesystem, with a notification', async () => {
    const mountPoint = await mkdtemp(join(tmpdir(), 'kiln-small-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', mountPoint]);
    try {
      const fx = await startImportFixture(context.dialect, { dataDir: mountPoint });
      try {
        await fx.service.startImport('small disk');
        await waitIdle(fx.service);
        const db = fx.region.region.db;
        const notes = await db
          .selectFrom('notifications')
          .select(['ident', 'message', 'category'])
          .execute();
        const note = notes.find((n) => n.ident === 'image_import_disk_space');
        expect(note?.category).toBe('error');
        expect(note?.message).toMatch(/needed .* free/);
        expect(note?.message).toMatch(/MiB needed/);
        const events = await db.selectFrom('events').select(['type', 'description']).execute();
        expect(
          events.some(
            (e) =>
              e.type === 'Image import error' && e.description.startsWith('Not enough disk space'),
          ),
        ).toBe(true);
        const stored = await readdir(join(mountPoint, 'image-storage'));
        expect(stored.filter((n) => n !== 'bootloaders')).toEqual([]);
        expect(await db.selectFrom('boot_resource_file_syncs').selectAll().execute()).toEqual([]);
        expect(fx.server.requests.filter((r) => !r.path.startsWith('/streams/'))).toEqual([]);
      } finally {
        await fx.close();
      }
    } finally {
      execFileSync('umount', [mountPoint]);
      await rm(mountPoint, { recursive: true, force: true });
    }
  });
});
