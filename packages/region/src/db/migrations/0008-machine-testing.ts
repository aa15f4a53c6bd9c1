import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import type { RegionMigration } from './migration.js';

/**
 * Hardware testing (`machines/<id>/?op=test`): `machines.testing_options` is the JSON object of
 * the running (or last) test request, `{"scripts": [names], "enable_ssh": bool}`; the metadata
 * server builds the testing scripts bundle from it and the preseed reads `enable_ssh`.
 */
async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .alterTable('machines')
    .addColumn('testing_options', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}

export const machineTestingMigration: RegionMigration = { name: '0008-machine-testing', up };
