import { afterAll, beforeAll, describe } from 'vitest';
import {
  DIALECTS,
  createTestDatabase,
  type TestDatabase,
  type TestDialect,
} from './test-database.js';

export interface DialectContext {
  readonly dialect: TestDialect;
  /** The fresh database of this describe block; valid from beforeAll on. */
  database(): TestDatabase;
}

/**
 * Declares the same suite once per dialect, titled `[sqlite] ...` / `[postgres] ...`, each with
 * its own fresh database that is dropped afterwards.
 */
export function describeEachDialect(title: string, body: (context: DialectContext) => void): void {
  for (const dialect of DIALECTS) {
    describe(`[${dialect}] ${title}`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(dialect);
      });
      afterAll(async () => {
        await database?.drop();
      });
      body({
        dialect,
        database: () => {
          if (database === undefined)
            throw new Error('database() is only available inside tests and hooks');
          return database;
        },
      });
    });
  }
}
