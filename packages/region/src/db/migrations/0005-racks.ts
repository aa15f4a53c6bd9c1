import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { columnTypes, type RegionMigration } from './migration.js';

/**
 * Rack controllers and the minimal MAAS network model a rack serves DHCP from: fabrics → VLANs →
 * subnets → IP ranges, plus one fixed address per known machine MAC (`dhcp_reservations`).
 * `network_version` is bumped by every change so racks can tell when their DHCP state moved.
 */
async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const id = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', t.id, (c) =>
        dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
      );

  await id('rack_controllers')
    .addColumn('system_id', 'text', (c) => c.notNull().unique())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('architecture', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    // JSON: [{name, mac_address, addresses: ['10.0.0.2/24']}] as the rack last reported them.
    .addColumn('interfaces', 'text', (c) => c.notNull().defaultTo('[]'))
    // JSON: {http_port, tftp_port, tftp, dhcp, cache} as the rack last reported them.
    .addColumn('services', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('cpu_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('memory', t.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('updated', 'text', (c) => c.notNull())
    .execute();

  await id('fabrics')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();

  await id('vlans')
    .addColumn('fabric_id', 'integer', (c) =>
      c.notNull().references('fabrics.id').onDelete('cascade'),
    )
    .addColumn('vid', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('mtu', 'integer', (c) => c.notNull().defaultTo(1500))
    .addColumn('dhcp_on', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('primary_rack', 'text')
    .addColumn('secondary_rack', 'text')
    .addColumn('created', 'text', (c) => c.notNull())
    .addUniqueConstraint('vlans_fabric_vid_unique', ['fabric_id', 'vid'])
    .execute();

  await id('subnets')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('cidr', 'text', (c) => c.notNull().unique())
    .addColumn('gateway_ip', 'text')
    .addColumn('dns_servers', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('vlan_id', 'integer', (c) => c.notNull().references('vlans.id'))
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();

  await id('ipranges')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('start_ip', 'text', (c) => c.notNull())
    .addColumn('end_ip', 'text', (c) => c.notNull())
    .addColumn('subnet_id', 'integer', (c) =>
      c.notNull().references('subnets.id').onDelete('cascade'),
    )
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('dhcp_reservations')
    .addColumn('mac', 'text', (c) => c.primaryKey())
    .addColumn('ip', 'text', (c) => c.notNull().unique())
    .addColumn('subnet_id', 'integer', (c) =>
      c.notNull().references('subnets.id').onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('network_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', t.bigint, (c) => c.notNull())
    .execute();

  const now = new Date().toISOString();
  await (db as Kysely<Record<string, Record<string, unknown>>>)
    .insertInto('network_version')
    .values({ id: 1, version: 1 })
    .execute();
  // MAAS always has fabric-0 with its untagged VLAN (vid 0): subnets land there by default.
  await (db as Kysely<Record<string, Record<string, unknown>>>)
    .insertInto('fabrics')
    .values({ name: 'fabric-0', created: now })
    .execute();
  await (db as Kysely<Record<string, Record<string, unknown>>>)
    .insertInto('vlans')
    .values({ fabric_id: 1, vid: 0, name: 'untagged', created: now })
    .execute();
}

export const racksMigration: RegionMigration = { name: '0005-racks', up };
