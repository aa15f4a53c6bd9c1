import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import type { RegionMigration } from './migration.js';

/**
 * `machines.boot_rack_http_port`: the port of the rack HTTP boot server the machine last booted
 * from, so the install config hands the installer URLs on the rack's real port (racks may listen
 * elsewhere than 5248). Null for machines that have not booted since.
 */
async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('machines').addColumn('boot_rack_http_port', 'integer').execute();
}

export const bootRackPortMigration: RegionMigration = { name: '0009-boot-rack-port', up };
