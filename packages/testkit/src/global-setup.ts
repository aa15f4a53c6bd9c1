// Vitest global setup: runs once in the main process before any test file. It guarantees a clean
// artefacts folder and a PostgreSQL server for the dialect matrix (testkit/src/db).
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

const LOCAL_PG_URL = 'postgres://kiln:kiln@127.0.0.1:5432/postgres';

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Starts the Debian cluster and creates the kiln role when KILN_TEST_PG_URL is not given. */
async function ensureLocalPostgres(): Promise<string> {
  if (await canConnect(LOCAL_PG_URL)) return LOCAL_PG_URL;
  try {
    execFileSync('pg_ctlcluster', ['15', 'main', 'start'], { stdio: 'pipe' });
  } catch {
    // "already running" is fine; anything else shows up as the connection failure below.
  }
  const sql =
    "DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='kiln') THEN CREATE ROLE kiln LOGIN SUPERUSER PASSWORD 'kiln'; END IF; END$$;";
  for (let attempt = 0; attempt < 30; attempt += 1) {
    try {
      execFileSync('su', ['postgres', '-c', `psql -qc "${sql.replaceAll('$', '\\$')}"`], {
        stdio: 'pipe',
      });
      if (await canConnect(LOCAL_PG_URL)) return LOCAL_PG_URL;
    } catch {
      // server still starting
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(
    'PostgreSQL is needed for the dialect matrix: set KILN_TEST_PG_URL, or install postgresql-15 so that `pg_ctlcluster 15 main start` works',
  );
}

export default async function setup(project: TestProject): Promise<void> {
  await mkdir(resolve(import.meta.dirname, '../../../test-artifacts'), { recursive: true });
  const fromEnv = process.env.KILN_TEST_PG_URL;
  const url = fromEnv !== undefined && fromEnv !== '' ? fromEnv : await ensureLocalPostgres();
  process.env.KILN_TEST_PG_URL = url;
  project.provide('kilnTestPgUrl', url);
}
