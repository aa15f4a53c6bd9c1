import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { testPgUrl } from './pg-url.js';

export type TestDialect = 'sqlite' | 'postgres';

/** Every DB-touching test runs on each of these. */
export const DIALECTS: readonly TestDialect[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  readonly dialect: TestDialect;
  /** A KILN_DATABASE_URL for a brand-new, empty database. */
  readonly url: string;
  /** Removes the database (and, for SQLite, its directory). */
  drop(): Promise<void>;
}

async function withAdminClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPgUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  // A fresh database per caller lets test files run in parallel against one server.
  const name = `kiln_t_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(testPgUrl());
  url.pathname = `/${name}`;
  return {
    dialect: 'postgres',
    url: url.toString(),
    drop: () =>
      withAdminClient((client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ).then(() => undefined),
  };
}

async function createSqliteDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-sqlite-'));
  return {
    dialect: 'sqlite',
    url: `sqlite:${join(dir, 'kiln.db')}`,
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

export function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  return dialect === 'postgres' ? createPostgresDatabase() : createSqliteDatabase();
}
