import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@kiln/node-kit';
import { createTestDatabase, describeEachDialect } from '@kiln/testkit';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrateToLatest, nowIso, openDatabase, type RegionDatabase } from '../../db/index.js';
import { ImageStore } from '../store/image-store.js';
import { reconcileStore } from '../store/reconcile.js';

const sha = (data: string): string => createHash('sha256').update(data).digest('hex');

// More files than one bulk statement takes (500), so the batching and the transaction are both
// exercised; small enough to stay quick on a loaded machine.
const FILES = 1_200;

describeEachDialect('reconcile a large image store in bulk', (context) => {
  let database: RegionDatabase;
  let store: ImageStore;
  let cleanup: () => Promise<void> = () => Promise.resolve();
  beforeEach(async () => {
    const test = await createTestDatabase(context.dialect);
    database = openDatabase(test.url);
    await migrateToLatest(database);
    const dataDir = await mkdtemp(join(tmpdir(), 'kiln-store-bulk-'));
    store = new ImageStore(dataDir);
    await store.ensure();
    cleanup = async () => {
      await database.close();
      await test.drop();
      await rm(dataDir, { recursive: true, force: true });
    };
  });
  afterEach(() => cleanup());

  /** One set holding a file per content; `twice` also lists each in a second set (same sha256). */
  async function addFiles(contents: readonly string[], twice: boolean): Promise<void> {
    const db = database.db;
    const now = nowIso();
    const resource = await db
      .insertInto('boot_resources')
      .values({ type: 2, name: 'bulk', architecture: 'amd64/generic', created: now, updated: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const version of twice ? ['1', '2'] : ['1']) {
      const set = await db
        .insertInto('boot_resource_sets')
        .values({ resource_id: resource.id, version, label: 'uploaded', created: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const rows = contents.map((content, i) => ({
        set_id: set.id,
        filename: `file-${i}`,
        filetype: 'root-tgz',
        sha256: sha(content),
        size: content.length,
        created: now,
      }));
      for (let i = 0; i < rows.length; i += 200)
        await db
          .insertInto('boot_resource_files')
          .values(rows.slice(i, i + 200))
          .execute();
    }
  }

  const syncSizes = async (): Promise<Map<string, number[]>> => {
    const rows = await database.db
      .selectFrom('boot_resource_file_syncs as s')
      .innerJoin('boot_resource_files as f', 'f.id', 's.file_id')
      .select(['f.sha256', 's.size', 's.region_id'])
      .where('s.region_id', '=', 'region-a')
      .execute();
    const out = new Map<string, number[]>();
    for (const row of rows) out.set(row.sha256, [...(out.get(row.sha256) ?? []), row.size]);
    return out;
  };

  it('confirms every present file on every row sharing its sha256, drops the lost ones', async () => {
    const contents = Array.from({ length: FILES }, (_, i) => `content of file ${i}`);
    await addFiles(contents, true);
    // Every file on disk except the last 100; file 0 with the wrong bytes (wrong size).
    for (const content of contents.slice(0, FILES - 100))
      await writeFile(store.pathFor(sha(content)), content);
    await writeFile(store.pathFor(sha(contents[0] ?? '')), 'short');

    const first = await reconcileStore(database.db, store, 'region-a', silentLogger());
    expect(first.present).toBe(FILES - 101);
    expect(first.missing).toHaveLength(101);
    const synced = await syncSizes();
    expect(synced.size).toBe(FILES - 101);
    for (const content of contents.slice(1, FILES - 100))
      expect(synced.get(sha(content))).toEqual([content.length, content.length]);
    expect(await readdir(store.root)).not.toContain(sha(contents[0] ?? ''));

    // A restart after 600 files vanished: their records go, the others stay as they were.
    for (const content of contents.slice(1, 601)) await rm(store.pathFor(sha(content)));
    const second = await reconcileStore(database.db, store, 'region-a', silentLogger());
    expect(second.present).toBe(FILES - 701);
    const after = await syncSizes();
    expect(after.size).toBe(FILES - 701);
    expect(after.has(sha(contents[1] ?? ''))).toBe(false);
    expect(after.get(sha(contents[601] ?? ''))).toEqual([
      (contents[601] ?? '').length,
      (contents[601] ?? '').length,
    ]);
  });

  it('corrects a record of the wrong size and leaves right ones alone', async () => {
    const contents = ['alpha bytes', 'beta bytes'];
    await addFiles(contents, false);
    for (const content of contents) await writeFile(store.pathFor(sha(content)), content);
    const ids = await database.db
      .selectFrom('boot_resource_files')
      .select(['id', 'sha256'])
      .execute();
    await database.db
      .insertInto('boot_resource_file_syncs')
      .values(ids.map((f) => ({ file_id: f.id, region_id: 'region-a', size: 3 })))
      .execute();
    const result = await reconcileStore(database.db, store, 'region-a', silentLogger());
    expect(result.present).toBe(2);
    const synced = await syncSizes();
    expect(synced.get(sha('alpha bytes'))).toEqual([11]);
    expect(synced.get(sha('beta bytes'))).toEqual([10]);
  });
});
