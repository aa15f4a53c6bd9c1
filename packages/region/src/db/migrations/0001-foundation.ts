import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { columnTypes, type RegionMigration } from './migration.js';

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const id = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', t.id, (c) =>
        dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
      );

  await id('regions')
    .addColumn('system_id', 'text', (c) => c.notNull().unique())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('updated', 'text', (c) => c.notNull())
    .execute();

  await id('users')
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();

  await id('api_tokens')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('consumer_key', 'text', (c) => c.notNull().unique())
    .addColumn('token_key', 'text', (c) => c.notNull().unique())
    .addColumn('token_secret', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('nonces')
    .addColumn('token_key', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('timestamp', t.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('nonces_pk', ['token_key', 'nonce'])
    .execute();
  await db.schema.createIndex('nonces_timestamp_idx').on('nonces').column('timestamp').execute();

  await db.schema
    .createTable('config')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await id('boot_sources')
    .addColumn('url', 'text', (c) => c.notNull().unique())
    .addColumn('keyring_filename', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('keyring_data', t.blob, (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('updated', 'text', (c) => c.notNull())
    .execute();

  await id('boot_source_selections')
    .addColumn('boot_source_id', 'integer', (c) =>
      c.notNull().references('boot_sources.id').onDelete('cascade'),
    )
    .addColumn('os', 'text', (c) => c.notNull())
    .addColumn('release', 'text', (c) => c.notNull())
    .addColumn('arches', 'text', (c) => c.notNull())
    .addColumn('subarches', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('updated', 'text', (c) => c.notNull())
    .addUniqueConstraint('boot_source_selections_unique', ['boot_source_id', 'os', 'release'])
    .execute();

  await id('events')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('node_system_id', 'text')
    .addColumn('node_hostname', 'text')
    .addColumn('username', 'text')
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_node_idx').on('events').column('node_system_id').execute();

  await id('notifications')
    .addColumn('ident', 'text', (c) => c.unique())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('users', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('admins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dismissable', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('updated', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notification_dismissals')
    .addColumn('notification_id', 'integer', (c) =>
      c.notNull().references('notifications.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('notification_dismissals_pk', ['notification_id', 'user_id'])
    .execute();
}

export const foundation: RegionMigration = { name: '0001-foundation', up };
