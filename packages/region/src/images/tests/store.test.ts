import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@kiln/node-kit';
import { createTestDatabase, describeEachDialect } from '@kiln/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type RegionDatabase } from '../../db/index.js';
import { ImageStore } from '../store/image-store.js';
import { reconcileStore } from '../store/reconcile.js';
import { unpackBootloader } from '../store/unpack-bootloader.js';
import { verifyStore } from '../store/verify-store.js';
import { insertBootResourceFile } from '../../testing/index.js';

const sha = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

describe('unpackBootloader', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-bl-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('unpacks a tar.xz into bootloaders/<type>/<arch>/ and replaces an older tree', async () => {
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src/bootx64.efi'), 'shim');
    await writeFile(join(dir, 'src/grubx64.efi'), 'grub');
    execFileSync('tar', ['-cJf', join(dir, 'a.tar.xz'), '-C', join(dir, 'src'), '.']);
    await mkdir(join(dir, 'bootloaders/uefi/amd64'), { recursive: true });
    await writeFile(join(dir, 'bootloaders/uefi/amd64/stale.efi'), 'old');
    const target = await unpackBootloader(
      join(dir, 'a.tar.xz'),
      join(dir, 'bootloaders'),
      'uefi',
      'amd64',
    );
    expect((await readdir(target)).sort()).toEqual(['bootx64.efi', 'grubx64.efi']);
    expect(await readFile(join(target, 'grubx64.efi'), 'utf8')).toBe('grub');
    expect((await readdir(join(dir, 'bootloaders/uefi'))).sort()).toEqual(['amd64']);
  });

  it('refuses members that climb out or links, and bad directory names', async () => {
    await mkdir(join(dir, 'src/inner'), { recursive: true });
    await writeFile(join(dir, 'src/evil'), 'x');
    // GNU tar strips `../` when creating; Python's tarfile writes the hostile name as given.
    execFileSync('/usr/bin/python3', [
      '-c',
      'import sys, tarfile; t = tarfile.open(sys.argv[1], "w:xz"); t.add(sys.argv[2], arcname="../evil"); t.close()',
      join(dir, 'climb.tar.xz'),
      join(dir, 'src/evil'),
    ]);
    await expect(
      unpackBootloader(join(dir, 'climb.tar.xz'), join(dir, 'bl'), 'pxe', 'i386'),
    ).rejects.toMatchObject({ code: 'IMAGE_BOOTLOADER_UNSAFE' });
    await symlink('/etc/passwd', join(dir, 'src/inner/link'));
    execFileSync('tar', ['-cJf', join(dir, 'link.tar.xz'), '-C', join(dir, 'src/inner'), 'link']);
    await expect(
      unpackBootloader(join(dir, 'link.tar.xz'), join(dir, 'bl'), 'pxe', 'i386'),
    ).rejects.toMatchObject({ code: 'IMAGE_BOOTLOADER_UNSAFE' });
    await expect(
      unpackBootloader(join(dir, 'link.tar.xz'), join(dir, 'bl'), '..', 'i386'),
    ).rejects.toMatchObject({ code: 'IMAGE_BOOTLOADER_UNSAFE' });
    await writeFile(join(dir, 'junk.tar.xz'), 'not an archive');
    await expect(
      unpackBootloader(join(dir, 'junk.tar.xz'), join(dir, 'bl'), 'pxe', 'i386'),
    ).rejects.toMatchObject({ code: 'IMAGE_BOOTLOADER_UNPACK_FAILED' });
    expect(await readdir(dir)).not.toContain('bl-escaped');
  });
});

describeEachDialect('reconcile and verify the image store', (context) => {
  let database: RegionDatabase;
  let dataDir: string;
  beforeEach(async () => {
    const test = await createTestDatabase(context.dialect);
    database = openDatabase(test.url);
    await migrateToLatest(database);
    dataDir = await mkdtemp(join(tmpdir(), 'kiln-store-'));
    cleanup = async () => {
      await database.close();
      await test.drop();
      await rm(dataDir, { recursive: true, force: true });
    };
  });
  let cleanup: () => Promise<void> = () => Promise.resolve();
  afterEach(() => cleanup());

  async function addFile(db: RegionDatabase['db'], name: string, content: string): Promise<string> {
    await insertBootResourceFile(db, {
      type: 2,
      name,
      architecture: 'amd64/generic',
      version: '20260101',
      label: 'uploaded',
      filename: 'root-tgz',
      filetype: 'root-tgz',
      sha256: sha(content),
      size: content.length,
    });
    return sha(content);
  }

  it('stats on start: keeps known files and partials, drops unknown ones, marks missing', async () => {
    const db = database.db;
    const store = new ImageStore(dataDir);
    await store.ensure();
    const good = await addFile(db, 'good', 'good bytes');
    const resuming = await addFile(db, 'resuming', 'resuming bytes');
    const wrongSize = await addFile(db, 'short', 'full length');
    const gone = await addFile(db, 'gone', 'never stored');
    await writeFile(store.pathFor(good), 'good bytes');
    await writeFile(store.partialPath(resuming), 'resum');
    await writeFile(store.pathFor(wrongSize), 'full');
    await writeFile(join(store.root, sha('unknown')), 'unknown');
    await writeFile(join(store.root, `${sha('other')}.partial`), 'x');
    await mkdir(join(store.root, 'bootloaders/pxe/i386'), { recursive: true });
    const result = await reconcileStore(db, store, 'region-a', silentLogger());
    expect(result.present).toBe(1);
    expect(result.missing.sort()).toEqual([resuming, wrongSize, gone].sort());
    expect((await readdir(store.root)).sort()).toEqual(
      ['bootloaders', good, `${resuming}.partial`].sort(),
    );
    const syncs = await db.selectFrom('boot_resource_file_syncs').selectAll().execute();
    expect(syncs.map((s) => [s.region_id, s.size])).toEqual([['region-a', 10]]);
  });

  it('re-hashes on verify and quarantines a mismatch, dropping the sync record', async () => {
    const db = database.db;
    const store = new ImageStore(dataDir);
    await store.ensure();
    const ok = await addFile(db, 'ok', 'ok content');
    const rotten = await addFile(db, 'rotten', 'rotten content');
    await writeFile(store.pathFor(ok), 'ok content');
    await writeFile(store.pathFor(rotten), 'rottem content');
    await reconcileStore(db, store, 'region-a', silentLogger());
    const report = await verifyStore(db, store, 'region-a');
    expect(report.checked).toBe(2);
    expect(report.problems.map((p) => p.sha256)).toEqual([rotten]);
    const fixed = await verifyStore(db, store, 'region-a', { quarantine: true });
    expect(fixed.problems[0]?.quarantinedTo).toContain('quarantine');
    expect(await readdir(store.root)).not.toContain(rotten);
    const syncs = await db.selectFrom('boot_resource_file_syncs').select('size').execute();
    expect(syncs).toHaveLength(1);
    expect((await verifyStore(db, store, 'region-a')).missing).toEqual([rotten]);
  });
});
