import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestDatabase, testPgUrl, type TestDatabase } from '@kiln/testkit';
import { openDatabase } from './database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('postgres');
});
afterAll(async () => {
  await database.drop();
});

it('survives PostgreSQL dropping an idle pooled connection, and keeps answering', async () => {
  const lost: Error[] = [];
  const region = openDatabase(database.url, (error) => lost.push(error));
  try {
    const pid = Number(
      (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(region.db)).rows[0]?.pid,
    );
    const admin = new pg.Client({ connectionString: testPgUrl() });
    await admin.connect();
    try {
      await admin.query('select pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    await expect.poll(() => lost.length).toBe(1);
    expect(lost[0]?.message).toMatch(/terminat/i);
    const after = await sql<{ one: number }>`select 1 as one`.execute(region.db);
    expect(after.rows[0]?.one).toBe(1);
  } finally {
    await region.close();
  }
});
