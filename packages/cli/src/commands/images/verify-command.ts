import type { Command } from 'commander';
import { AppError } from '@kiln/node-kit';
import { ensureRegionIdentity, ImageStore, openRegionDatabase, verifyStore } from '@kiln/region';
import type { Printer } from '../../output/index.js';
import { formatBytes } from '../../output/index.js';
import { addConfigOptions, configFromOptions } from '../server/config-options.js';

/**
 * `kiln images verify [--quarantine]`: re-hashes every stored image file of this region's data
 * directory against its name and size. Exit 1 when any file does not match (or is missing).
 */
export function registerVerifyCommand(
  images: Command,
  printer: Printer,
  env: Readonly<Record<string, string | undefined>>,
): void {
  addConfigOptions(
    images
      .command('verify')
      .description('re-hash every stored image file; report (or --quarantine) mismatches')
      .option(
        '--quarantine',
        'move mismatching files to image-storage/quarantine/ and drop their sync record',
      ),
  ).action(async (options: { quarantine?: boolean }, command: Command) => {
    const config = configFromOptions(command, env);
    const database = await openRegionDatabase(config);
    try {
      const regionId = await ensureRegionIdentity(database.db, config.dataDir);
      const report = await verifyStore(database.db, new ImageStore(config.dataDir), regionId, {
        quarantine: options.quarantine === true,
      });
      for (const problem of report.problems) {
        printer.error(
          `MISMATCH ${problem.sha256}: size ${problem.actualSize} (expected ${problem.expectedSize}), sha256 ${problem.actualSha256}` +
            (problem.quarantinedTo === undefined ? '' : `; moved to ${problem.quarantinedTo}`),
        );
      }
      for (const sha of report.missing) printer.error(`MISSING ${sha}`);
      printer.line(
        `${report.checked} files verified (${formatBytes(report.bytes)}), ${report.problems.length} mismatched, ${report.missing.length} missing`,
      );
      if (report.problems.length > 0 || report.missing.length > 0) {
        throw new AppError(
          'IMAGE_VERIFY_FAILED',
          `${report.problems.length} image files do not match their sha256 and ${report.missing.length} are missing`,
        );
      }
    } finally {
      await database.close();
    }
  });
}
