import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { columnTypes, type RegionMigration } from './migration.js';

/**
 * What MAAS's own clients use besides machines: Juju's owner data on machines, spaces, static
 * routes, DNS domains (beside the built-in `maas`), devices with their interfaces, the file
 * store (Juju keeps its state there) and users' SSH keys.
 */
async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const id = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', t.id, (c) =>
        dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
      );

  // JSON object of string → string, as set_owner_data leaves it.
  await db.schema
    .alterTable('machines')
    .addColumn('owner_data', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();

  await id('spaces')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();

  await id('static_routes')
    .addColumn('source_id', 'integer', (c) =>
      c.notNull().references('subnets.id').onDelete('cascade'),
    )
    .addColumn('destination_id', 'integer', (c) =>
      c.notNull().references('subnets.id').onDelete('cascade'),
    )
    .addColumn('gateway_ip', 'text', (c) => c.notNull())
    .addColumn('metric', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'text', (c) => c.notNull())
    .addUniqueConstraint('static_routes_unique', ['source_id', 'destination_id', 'gateway_ip'])
    .execute();

  await id('domains')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('authoritative', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('ttl', 'integer')
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();

  await id('devices')
    .addColumn('system_id', 'text', (c) => c.notNull().unique())
    .addColumn('hostname', 'text', (c) => c.notNull().unique())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('parent', 'text')
    .addColumn('owner', 'text')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();

  await id('device_interfaces')
    .addColumn('device_id', 'integer', (c) =>
      c.notNull().references('devices.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mac_address', 'text', (c) => c.notNull().unique())
    .addColumn('vlan_id', 'integer', (c) => c.references('vlans.id').onDelete('set null'))
    .addColumn('created', 'text', (c) => c.notNull())
    .addUniqueConstraint('device_interfaces_name_unique', ['device_id', 'name'])
    .execute();

  await id('files')
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('content', t.blob, (c) => c.notNull())
    // The capability in anon_resource_uri: whoever holds it may read the file without a key.
    .addColumn('anon_key', 'text', (c) => c.notNull().unique())
    .addColumn('created', 'text', (c) => c.notNull())
    .addUniqueConstraint('files_owner_filename_unique', ['owner', 'filename'])
    .execute();

  await id('ssh_keys')
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .addUniqueConstraint('ssh_keys_user_key_unique', ['username', 'key'])
    .execute();
}

export const maasClientsMigration: RegionMigration = { name: '0011-maas-clients', up };
