import type { Command } from 'commander';
import { createLogger, onShutdownSignals } from '@kiln/node-kit';
import { ensureFirstAdmin, startRegion } from '@kiln/region';
import { addConfigOptions, configFromOptions } from './config-options.js';
import { say, type ServerCommandDeps } from './server-deps.js';

async function runRegion(command: Command, deps: ServerCommandDeps, what: string): Promise<void> {
  const config = configFromOptions(command, deps.env ?? process.env);
  const logger = createLogger({
    level: config.logLevel,
    name: 'kiln',
    ...(deps.logDestination === undefined ? {} : { destination: deps.logDestination }),
  });
  const region = await startRegion({ config, logger });
  const admin = await ensureFirstAdmin(region.db);
  say(
    command,
    `Kiln ${what} is running at ${region.url} (database: ${region.database.dialect}, data: ${config.dataDir}).`,
  );
  if (admin !== null) {
    say(command, `Created administrator "${admin.username}" with password: ${admin.password}`);
    say(command, `API key (shown once): ${admin.apiKey}`);
    say(command, `Log in with: kiln login ${admin.username} ${region.url} ${admin.apiKey}`);
  }
  const stop = () => region.close();
  if (deps.onStarted !== undefined) deps.onStarted(stop, region.url);
  else onShutdownSignals(stop, logger);
}

/** `kiln start` (region now; the rack agent joins it in one process when it lands) and `kiln region`. */
export function registerStartCommands(program: Command, deps: ServerCommandDeps): void {
  addConfigOptions(
    program
      .command('start')
      .description(
        'Run Kiln on this machine: the region (MAAS API on :5240) and, when available, a rack agent.',
      ),
  ).action(async (_options: unknown, command: Command) => runRegion(command, deps, 'region'));
  addConfigOptions(
    program
      .command('region')
      .description('Run only the region server (MAAS API, database, image store).'),
  ).action(async (_options: unknown, command: Command) => runRegion(command, deps, 'region'));
}
