import { hostname } from 'node:os';
import { Option, type Command } from 'commander';
import { loadConfig } from '@kiln/node-kit';
import {
  ensureRegionIdentity,
  ImageStore,
  migrateFromMaas,
  openRegionDatabase,
  type MigrationEvent,
} from '@kiln/region';
import {
  createByteProgress,
  type ByteProgress,
  type CliIo,
  type Printer,
} from '../../output/index.js';
import { positiveInt } from '../stream/stream-io.js';
import { renderPlan, renderSummary } from './render-plan.js';

interface MigrateFlags {
  database: string;
  imageStorage?: string;
  regionUrl?: string;
  dryRun?: boolean;
  refetchSynced?: boolean;
  chunkSize?: number;
  config?: string;
  dataDir?: string;
  databaseUrl?: string;
}

/**
 * `kiln migrate-from-maas --database postgres://…`: takes a MAAS installation's images, boot
 * sources, selections and image settings into this Kiln data directory and database. Kiln's own
 * settings come from `--data-dir`/`--database-url`/`--config` and KILN_* as for `kiln region`
 * (`--region-url` here is the MAAS region, so Kiln's rack setting of that name is not offered).
 */
export function registerMigrateCommand(program: Command, printer: Printer, io: CliIo): void {
  program
    .command('migrate-from-maas')
    .description("take over a MAAS installation's images and image settings (read only on MAAS)")
    .requiredOption(
      '--database <url>',
      'the MAAS region database, postgres://user:password@host/maasdb',
    )
    .option('--image-storage <dir>', "a copy of a MAAS 3.5+ region's /var/lib/maas/image-storage")
    .option(
      '--region-url <url>',
      'a MAAS 3.5+ region to fetch image files from, http://maas:5240/MAAS/',
    )
    .option('--dry-run', 'print the plan and the space needed; change nothing')
    .option(
      '--refetch-synced',
      'fetch synced images from their upstream source (same sha256 required)',
    )
    .addOption(
      new Option('--chunk-size <bytes>', 'bytes per large-object read').argParser(positiveInt),
    )
    .option('--config <file>', 'Kiln YAML configuration file (also KILN_CONFIG)')
    .option('--data-dir <dir>', 'Kiln data directory [KILN_DATA_DIR]')
    .option('--database-url <url>', 'Kiln database [KILN_DATABASE_URL]')
    .action(async (flags: MigrateFlags) => {
      const config = loadConfig({
        flags: {
          ...(flags.dataDir === undefined ? {} : { dataDir: flags.dataDir }),
          ...(flags.databaseUrl === undefined ? {} : { databaseUrl: flags.databaseUrl }),
        },
        env: io.env,
        ...(flags.config === undefined ? {} : { configFile: flags.config }),
      });
      const database = await openRegionDatabase(config);
      const store = new ImageStore(config.dataDir);
      const bar: { progress: ByteProgress | null } = { progress: null };
      const stopBar = (): void => {
        bar.progress?.stop();
        bar.progress = null;
      };
      const onEvent = (event: MigrationEvent): void => {
        if (event.kind === 'plan') {
          printer.line(
            renderPlan(event.plan, event.toCopy, event.freeBytes, store.root).join('\n'),
          );
        } else if (event.kind === 'progress') {
          bar.progress ??= createByteProgress(io, 'migrating', event.total);
          bar.progress.update(event.done);
        } else if (event.outcome === 'problem') {
          printer.warning(`could not take ${event.sha256} from ${event.from}`);
        }
      };
      try {
        const regionId = await ensureRegionIdentity(database.db, config.dataDir);
        const result = await migrateFromMaas(database.db, store, regionId, {
          maasDatabaseUrl: flags.database,
          imageStorage: flags.imageStorage,
          regionUrl: flags.regionUrl,
          dryRun: flags.dryRun === true,
          refetchSynced: flags.refetchSynced === true,
          chunkBytes: flags.chunkSize,
          kilnKeyring: config.bootSourceKeyring,
          holder: `${process.pid}@${hostname()}`,
          onEvent,
        });
        stopBar();
        if (result.dryRun) {
          for (const warning of result.notMigrated) printer.warning(`NOT MIGRATED ${warning}`);
          printer.line('Dry run: nothing was copied and nothing was changed.');
          return;
        }
        const summary = renderSummary(result);
        for (const line of summary.lines) printer.line(line);
        for (const warning of summary.warnings) printer.warning(warning);
      } finally {
        stopBar();
        await database.close();
      }
    });
}
