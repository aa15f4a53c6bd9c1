import type { Command } from 'commander';
import {
  ensureRegionIdentity,
  ImageStore,
  importStatus,
  openRegionDatabase,
  type ImportStatus,
} from '@kiln/region';
import { formatBytes, isInteractive, type Printer } from '../../output/index.js';
import { addConfigOptions, configFromOptions } from '../server/config-options.js';
import { positiveInt } from '../stream/stream-io.js';

/** One screen of `kiln images watch`: overall line then one line per resource. */
export function renderStatus(status: ImportStatus, rate: number): string[] {
  const head = `${status.importing ? 'importing' : 'idle'}: ${status.percent.toFixed(1)}% of ${formatBytes(status.totalBytes)}${rate > 0 ? ` at ${formatBytes(rate)}/s` : ''}`;
  const rows = status.resources.map(
    (r) =>
      `${r.complete ? 'ok  ' : `${r.percent.toFixed(0).padStart(3)}%`} ${r.name} ${r.architecture} ${r.version ?? '-'} ${formatBytes(r.done)}/${formatBytes(r.size)}${r.type === 'Uploaded' ? ' (uploaded)' : ''}`,
  );
  return [head, ...rows];
}

/**
 * `kiln images watch`: live import progress read straight from the region's database and data
 * directory (same config options as `kiln region`), so it needs no API key and works while the
 * region is busy. Redraws in a terminal; prints a line per change otherwise. `--once` prints one
 * snapshot; without it the command ends when no import runs any more.
 */
export function registerWatchCommand(
  images: Command,
  printer: Printer,
  env: Readonly<Record<string, string | undefined>>,
): void {
  addConfigOptions(
    images
      .command('watch')
      .description('show live image import progress (reads the database and data directory)')
      .option('--interval <seconds>', 'seconds between refreshes', positiveInt, 1)
      .option('--once', 'print one snapshot and exit'),
  ).action(async (options: { interval: number; once?: boolean }, command: Command) => {
    const config = configFromOptions(command, env);
    const database = await openRegionDatabase(config);
    const store = new ImageStore(config.dataDir);
    const tty = isInteractive(printer.io.stdout);
    try {
      const regionId = await ensureRegionIdentity(database.db, config.dataDir);
      let previous: { at: number; bytes: number } | null = null;
      let lastText = '';
      for (;;) {
        const status = await importStatus(database.db, store, regionId);
        const now = Date.now();
        const rate =
          previous === null || now === previous.at
            ? 0
            : Math.max(
                0,
                Math.round(((status.doneBytes - previous.bytes) * 1000) / (now - previous.at)),
              );
        previous = { at: now, bytes: status.doneBytes };
        const text = renderStatus(status, rate).join('\n');
        if (tty) printer.io.stdout.write(`\x1b[H\x1b[2J${text}\n`);
        else if (text !== lastText) printer.line(text);
        lastText = text;
        if (options.once === true || !status.importing) return;
        await new Promise((resolve) => setTimeout(resolve, options.interval * 1000));
      }
    } finally {
      await database.close();
    }
  });
}
