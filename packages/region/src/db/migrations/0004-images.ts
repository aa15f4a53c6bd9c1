import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { columnTypes, type RegionMigration } from './migration.js';

/**
 * Image import (issue 4): boot resources → sets → files, per-region copies of each file, the
 * cache of what each boot source offers, and named leases (`locks`) that serialise imports
 * across every region sharing the database. Numbered 0004 because 0003 was applied first on
 * existing databases and kysely's Migrator refuses out-of-order names.
 */
async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const id = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', t.id, (c) =>
        dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
      );

  await id('boot_resources')
    // 0 Synced, 2 Uploaded (MAAS's BOOT_RESOURCE_TYPE).
    .addColumn('type', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('architecture', 'text', (c) => c.notNull())
    .addColumn('alias', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('base_image', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('bootloader_type', 'text')
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('updated', 'text', (c) => c.notNull())
    .addUniqueConstraint('boot_resources_name_arch_unique', ['name', 'architecture'])
    .execute();

  await id('boot_resource_sets')
    .addColumn('resource_id', 'integer', (c) =>
      c.notNull().references('boot_resources.id').onDelete('cascade'),
    )
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .addUniqueConstraint('boot_resource_sets_version_unique', ['resource_id', 'version'])
    .execute();

  await id('boot_resource_files')
    .addColumn('set_id', 'integer', (c) =>
      c.notNull().references('boot_resource_sets.id').onDelete('cascade'),
    )
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('filetype', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', t.bigint, (c) => c.notNull())
    // Where a synced file comes from: the boot source id and the item path under its root.
    .addColumn('source_id', 'integer')
    .addColumn('source_path', 'text')
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created', 'text', (c) => c.notNull())
    .addUniqueConstraint('boot_resource_files_name_unique', ['set_id', 'filename'])
    .execute();
  await db.schema
    .createIndex('boot_resource_files_sha256_idx')
    .on('boot_resource_files')
    .column('sha256')
    .execute();

  await db.schema
    .createTable('boot_resource_file_syncs')
    .addColumn('file_id', 'integer', (c) =>
      c.notNull().references('boot_resource_files.id').onDelete('cascade'),
    )
    // regions.system_id of the region holding the bytes.
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('size', t.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('boot_resource_file_syncs_pk', ['file_id', 'region_id'])
    .execute();

  await id('boot_source_cache')
    .addColumn('boot_source_id', 'integer', (c) =>
      c.notNull().references('boot_sources.id').onDelete('cascade'),
    )
    .addColumn('os', 'text', (c) => c.notNull())
    .addColumn('arch', 'text', (c) => c.notNull())
    .addColumn('subarch', 'text', (c) => c.notNull())
    .addColumn('release', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('kflavor', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('bootloader_type', 'text')
    .addColumn('release_title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('release_codename', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('support_eol', 'text')
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('locks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    // Epoch milliseconds; a holder that stops renewing loses the lock once this passes.
    .addColumn('expires', t.bigint, (c) => c.notNull())
    .addColumn('stop_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export const imagesMigration: RegionMigration = { name: '0004-images', up };
