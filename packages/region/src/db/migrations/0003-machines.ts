import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { columnTypes, type RegionMigration } from './migration.js';

/**
 * Machines and what hangs off them: interfaces, block devices, tags, zones, resource pools,
 * per-machine metadata tokens and kept script output. The machine timeline lives in `events`
 * (node_system_id), created by 0001.
 */
async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const id = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', t.id, (c) =>
        dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
      );
  const named = (name: string) =>
    id(name)
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created', 'text', (c) => c.notNull())
      .addColumn('updated', 'text', (c) => c.notNull());

  await named('zones').execute();
  await named('resource_pools').execute();
  await id('tags')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('definition', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kernel_opts', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('updated', 'text', (c) => c.notNull())
    .execute();
  const now = new Date().toISOString();
  for (const table of ['zones', 'resource_pools']) {
    await sql`insert into ${sql.table(table)} (name, description, created, updated) values ('default', ${table === 'zones' ? 'The default zone' : 'Default pool'}, ${now}, ${now})`.execute(
      db,
    );
  }

  await id('machines')
    .addColumn('system_id', 'text', (c) => c.notNull().unique())
    .addColumn('hostname', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('architecture', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('previous_status', 'integer', (c) => c.notNull())
    .addColumn('status_expires', 'text')
    .addColumn('owner', 'text')
    .addColumn('agent_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('power_type', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('power_parameters', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('power_state', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('osystem', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('distro_series', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('hwe_kernel', 'text')
    .addColumn('min_hwe_kernel', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_data', 'text')
    .addColumn('ephemeral_deploy', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('netboot', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('enlisting', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cpu_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cpu_model', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cpu_speed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('memory', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('firmware', 'text')
    .addColumn('hardware_uuid', 'text')
    .addColumn('error_description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('zone_id', 'integer', (c) => c.notNull().references('zones.id'))
    .addColumn('pool_id', 'integer', (c) => c.notNull().references('resource_pools.id'))
    .addColumn('storage_layout', 'text', (c) => c.notNull().defaultTo('{"storage_layout":"flat"}'))
    .addColumn('erase_options', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('boot_rack_address', 'text')
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('updated', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('machines_status_idx').on('machines').column('status').execute();

  await id('interfaces')
    .addColumn('machine_id', 'integer', (c) =>
      c.notNull().references('machines.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().defaultTo('physical'))
    // Virtual interfaces (bond, vlan, bridge) borrow a parent's MAC and store none here.
    .addColumn('mac_address', 'text', (c) => c.unique())
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('parents', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('vlan_id', 'integer')
    .addColumn('link_mode', 'text', (c) => c.notNull().defaultTo('auto'))
    .addColumn('ip_address', 'text')
    .addColumn('subnet_cidr', 'text')
    .addColumn('gateway_ip', 'text')
    .addColumn('mtu', 'integer', (c) => c.notNull().defaultTo(1500))
    .addColumn('link_connected', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('speed_mbps', 'integer')
    .addUniqueConstraint('interfaces_machine_name_unique', ['machine_id', 'name'])
    .execute();

  await id('block_devices')
    .addColumn('machine_id', 'integer', (c) =>
      c.notNull().references('machines.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', t.bigint, (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('serial', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('rotational', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('block_devices_machine_name_unique', ['machine_id', 'name'])
    .execute();

  await db.schema
    .createTable('machine_tags')
    .addColumn('machine_id', 'integer', (c) =>
      c.notNull().references('machines.id').onDelete('cascade'),
    )
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('machine_tags_pk', ['machine_id', 'tag_id'])
    .execute();

  await db.schema
    .createTable('node_tokens')
    .addColumn('machine_id', 'integer', (c) =>
      c.primaryKey().references('machines.id').onDelete('cascade'),
    )
    .addColumn('consumer_key', 'text', (c) => c.notNull().unique())
    .addColumn('token_key', 'text', (c) => c.notNull().unique())
    .addColumn('token_secret', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();

  await id('script_results')
    .addColumn('machine_id', 'integer', (c) =>
      c.notNull().references('machines.id').onDelete('cascade'),
    )
    .addColumn('result_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('exit_status', 'integer')
    .addColumn('runtime', 'text')
    .addColumn('output', t.blob, (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('script_results_machine_idx')
    .on('script_results')
    .column('machine_id')
    .execute();
}

export const machinesMigration: RegionMigration = { name: '0003-machines', up };
