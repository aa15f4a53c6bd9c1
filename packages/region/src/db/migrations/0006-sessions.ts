import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import type { RegionMigration } from './migration.js';

/**
 * Browser sessions of the web UI (issue 8). The cookie carries a random id; only its sha256 is
 * stored, so a leaked database copy cannot be replayed as a login. Each session has its own CSRF
 * token, which unsafe requests must echo in X-CSRFToken.
 */
async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('expires', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires').execute();
}

export const sessionsMigration: RegionMigration = { name: '0006-sessions', up };
