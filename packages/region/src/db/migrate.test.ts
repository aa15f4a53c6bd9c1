import { describeEachDialect } from '@kiln/testkit';
import { expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

describeEachDialect('database migrations', (context) => {
  it('applies every migration once and creates working tables', async () => {
    const database = openDatabase(context.database().url);
    try {
      expect(database.dialect).toBe(context.dialect);
      expect(await migrateToLatest(database)).toEqual(MIGRATIONS.map((m) => m.name));
      expect(await migrateToLatest(database)).toEqual([]);
      const { db } = database;
      const source = await db
        .insertInto('boot_sources')
        .values({
          url: 'http://example.com/',
          keyring_filename: '',
          keyring_data: Buffer.from([0, 1, 255]),
          created: 'x',
          updated: 'x',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const row = await db
        .selectFrom('boot_sources')
        .selectAll()
        .where('id', '=', source.id)
        .executeTakeFirstOrThrow();
      expect(Buffer.from(row.keyring_data)).toEqual(Buffer.from([0, 1, 255]));
      const selection = {
        boot_source_id: source.id,
        os: 'ubuntu',
        release: 'noble',
        arches: '[]',
        subarches: '[]',
        labels: '[]',
        created: 'x',
        updated: 'x',
      };
      await db.insertInto('boot_source_selections').values(selection).execute();
      await expect(
        db.insertInto('boot_source_selections').values(selection).execute(),
      ).rejects.toThrow();
      // Deleting a source removes its selections (foreign key cascade on both engines).
      await db.deleteFrom('boot_sources').where('id', '=', source.id).execute();
      const count = await db
        .selectFrom('boot_source_selections')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(count.n).toBe(0);
      await db
        .insertInto('nonces')
        .values({ token_key: 't', nonce: 'n', timestamp: 4_000_000_000 })
        .execute();
      const nonce = await db.selectFrom('nonces').selectAll().executeTakeFirstOrThrow();
      expect(nonce.timestamp).toBe(4_000_000_000);
    } finally {
      await database.close();
    }
  });
});
