import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "Configuration and database". */
export const CONFIG_ERRORS = {
  CONFIG_INVALID: {
    status: 400,
    meaning:
      'One or more settings are invalid at start-up; the message lists each by name and source (flag, variable or file).',
  },
  DB_MIGRATION_FAILED: {
    status: 500,
    meaning: 'A schema migration failed; the cause is attached and nothing after it ran.',
  },
  DB_UNREACHABLE: {
    status: 503,
    meaning:
      'The database cannot be opened or reached (SQLite file or directory not creatable, PostgreSQL refusing connections); the message has the cause.',
  },
  DB_URL_INVALID: {
    status: 400,
    meaning: '`database_url` is neither `sqlite:<path>` nor `postgres://…`.',
  },
  REGION_LISTEN_FAILED: {
    status: 500,
    meaning:
      'The region cannot bind its port: taken by another process, privileged, or an address not on this machine; the message says which and what to do.',
  },
  DB_UNIQUE_VIOLATION: {
    status: 400,
    meaning:
      'A write would duplicate a value that must be unique (a rename to an existing name, on SQLite or PostgreSQL); the body is `{field: ["<Model> with this <Field> already exists."]}` (`__all__` for a clash over several columns). Nothing was changed.',
  },
  DB_INVALID_TEXT: {
    status: 400,
    meaning:
      'A value holds text the database cannot store (a NUL character, or a character PostgreSQL cannot encode). Nothing was changed.',
  },
  DB_DISK_FULL: {
    status: 507,
    meaning:
      "The database's disk is full (SQLite `database or disk is full`, PostgreSQL `disk_full`); the message names the database file or server and the free bytes. The write changed nothing; reads keep answering.",
  },
} as const satisfies Record<string, ErrorSpec>;
