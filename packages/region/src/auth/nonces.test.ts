import { describeEachDialect } from '@kiln/testkit';
import { expect, it } from 'vitest';
import { openDatabase } from '../db/index.js';
import { migrateToLatest } from '../db/index.js';
import { pruneNonces, useNonce, TIMESTAMP_WINDOW_SECONDS } from './nonces.js';

describeEachDialect('nonce store', (context) => {
  it('accepts a nonce once per token and prunes those too old to matter', async () => {
    const database = openDatabase(context.database().url);
    try {
      await migrateToLatest(database);
      const now = 1_900_000_000;
      expect(await useNonce(database.db, 'tk1', 'n', now)).toBe(true);
      expect(await useNonce(database.db, 'tk1', 'n', now)).toBe(false);
      expect(await useNonce(database.db, 'tk2', 'n', now)).toBe(true);
      expect(await useNonce(database.db, 'tk1', 'old', now - 3 * TIMESTAMP_WINDOW_SECONDS)).toBe(
        true,
      );
      expect(await pruneNonces(database.db, now)).toBe(1);
      const left = await database.db
        .selectFrom('nonces')
        .select(['token_key', 'nonce'])
        .orderBy('token_key')
        .execute();
      expect(left).toEqual([
        { token_key: 'tk1', nonce: 'n' },
        { token_key: 'tk2', nonce: 'n' },
      ]);
      // Concurrent uses of one nonce: exactly one wins.
      const results = await Promise.all(
        Array.from({ length: 8 }, () => useNonce(database.db, 'tk3', 'race', now)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await database.close();
    }
  });
});
