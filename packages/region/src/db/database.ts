import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '@kiln/node-kit';
import { freeBytesAt, translateDatabaseError } from './db-errors.js';
import type { Database } from './schema.js';
import { translatingDialect } from './translating-dialect.js';

/** host:port/db of a PostgreSQL URL, without the password, for messages. */
function redactedServer(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'server';
  }
}

export type DialectName = 'sqlite' | 'postgres';

export interface RegionDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /**
   * Runs `work` while holding the database's writer lock. SQLite: one `BEGIN IMMEDIATE`
   * transaction around everything `work` does on this connection, so processes sharing the file
   * (a region starting while `kiln createadmin` runs) migrate one at a time and atomically.
   * PostgreSQL: kysely's migrator already takes an advisory lock, so `work` simply runs.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `sqlite:/abs/path.db`, `sqlite:///abs/path.db` or `sqlite:relative.db` → a file path. */
export function sqlitePathFromUrl(url: string): string {
  const rest = url.slice('sqlite:'.length);
  const path = rest.startsWith('//') ? rest.slice(2) : rest;
  if (path === '') throw new AppError('DB_URL_INVALID', `No file path in database URL ${url}`);
  return resolve(path);
}

// pg returns int8 (COUNT(*), bigint columns) as strings; Kiln's values fit in a double.
const INT8_OID = 20;
const pgTypes = new pg.TypeOverrides();
pgTypes.setTypeParser(INT8_OID, (value: string) => Number(value));

/**
 * The one place the dialect is chosen, from the URL. SQLite runs in WAL mode with a busy
 * timeout so the CLI (createadmin, apikey) can write while a region is running.
 */
export function openDatabase(
  url: string,
  onConnectionLost: (error: Error) => void = (error) => {
    process.stderr.write(`kiln: database connection lost: ${error.message}\n`);
  },
): RegionDatabase {
  if (url.startsWith('sqlite:')) {
    const path = sqlitePathFromUrl(url);
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new AppError(
        'DB_UNREACHABLE',
        `Cannot create the directory of ${path}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    let sqlite: BetterSqlite3.Database;
    try {
      sqlite = new BetterSqlite3(path);
    } catch (error) {
      throw new AppError(
        'DB_UNREACHABLE',
        `Cannot open the SQLite database ${path}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({
      dialect: translatingDialect(new SqliteDialect({ database: sqlite }), {
        translate: (error) =>
          translateDatabaseError(error, {
            location: path,
            freeBytes: () => freeBytesAt(dirname(path)),
          }),
        inTransaction: () => sqlite.inTransaction,
      }),
    });
    const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
      sqlite.exec('BEGIN IMMEDIATE');
      try {
        const result = await work();
        sqlite.exec('COMMIT');
        return result;
      } catch (error) {
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
        throw translateDatabaseError(error, {
          location: path,
          freeBytes: () => freeBytesAt(dirname(path)),
        });
      }
    };
    return { db, dialect: 'sqlite', exclusive, close: () => db.destroy() };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: 10, types: pgTypes });
    // An idle pooled connection that the server drops (PostgreSQL restarted, the backend was
    // terminated) makes the pool emit 'error'; unheard, that kills the whole region. The pool
    // discards that client and opens a fresh one on the next query.
    pool.on('error', onConnectionLost);
    const location = `the PostgreSQL server ${redactedServer(url)}`;
    const db = new Kysely<Database>({
      dialect: translatingDialect(new PostgresDialect({ pool }), {
        translate: (error) => translateDatabaseError(error, { location }),
      }),
    });
    return { db, dialect: 'postgres', exclusive: (work) => work(), close: () => db.destroy() };
  }
  throw new AppError(
    'DB_URL_INVALID',
    `Unsupported database URL (use sqlite: or postgres://): ${url}`,
  );
}
