import type { Migration, MigrationProvider } from 'kysely';
import type { DialectName } from '../database.js';
import { foundation } from './0001-foundation.js';
import { machinesMigration } from './0003-machines.js';
import { imagesMigration } from './0004-images.js';
import { racksMigration } from './0005-racks.js';
import { sessionsMigration } from './0006-sessions.js';
import { controllerHealthMigration } from './0007-controller-health.js';
import { machineTestingMigration } from './0008-machine-testing.js';
import { maasClientsMigration } from './0011-maas-clients.js';
import { imageSyncMigration } from './0012-image-sync.js';
import { bootRackPortMigration } from './0009-boot-rack-port.js';
import { maasMigrationMigration } from './0010-maas-migration.js';
import type { RegionMigration } from './migration.js';

/**
 * Every migration, in order. To add one: create `NNNN-<what>.ts` exporting a RegionMigration
 * and append it here. Names sort lexically, which kysely's Migrator relies on.
 */
export const MIGRATIONS: readonly RegionMigration[] = [
  foundation,
  machinesMigration,
  imagesMigration,
  racksMigration,
  sessionsMigration,
  controllerHealthMigration,
  machineTestingMigration,
  bootRackPortMigration,
  maasMigrationMigration,
  maasClientsMigration,
  imageSyncMigration,
];

export class RegionMigrationProvider implements MigrationProvider {
  readonly #dialect: DialectName;
  readonly #migrations: readonly RegionMigration[];

  constructor(dialect: DialectName, migrations: readonly RegionMigration[] = MIGRATIONS) {
    this.#dialect = dialect;
    this.#migrations = migrations;
  }

  getMigrations(): Promise<Record<string, Migration>> {
    const entries = this.#migrations.map((m): [string, Migration] => [
      m.name,
      { up: (db) => m.up(db, this.#dialect) },
    ]);
    return Promise.resolve(Object.fromEntries(entries));
  }
}

export { columnTypes, type RegionMigration } from './migration.js';
