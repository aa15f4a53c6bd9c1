import { join } from 'node:path';
import type { Command } from 'commander';
import { createLogger, onShutdownSignals } from '@kiln/node-kit';
import { rackAgentOptionsFromConfig, startRackAgent, type RunningRackAgent } from '@kiln/rack';
import { ensureFirstAdmin, getOrCreateRackSecret, startRegion } from '@kiln/region';
import { describeRackAgent } from '../rack/index.js';
import { addConfigOptions, configFromOptions } from './config-options.js';
import { say, type ServerCommandDeps } from './server-deps.js';

async function runRegion(
  command: Command,
  deps: ServerCommandDeps,
  what: string,
  withRack = false,
): Promise<void> {
  const config = configFromOptions(command, deps.env ?? process.env);
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
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
  let rack: RunningRackAgent | null = null;
  if (withRack) {
    // The rack half of `kiln start`: same process, this region as its only region, its secret.
    try {
      rack = await startRackAgent({
        ...rackAgentOptionsFromConfig(config, logger, await getOrCreateRackSecret(region.db)),
        regionUrls: [region.url],
        localBootloadersDir: join(config.dataDir, 'image-storage', 'bootloaders'),
      });
    } catch (error) {
      await region.close();
      throw error;
    }
    for (const line of describeRackAgent(rack, [region.url])) say(command, line);
  }
  const running = rack;
  const stop = async () => {
    await running?.close();
    await region.close();
  };
  if (deps.onStarted !== undefined) deps.onStarted(stop, region.url);
  else onShutdownSignals(stop, logger);
}

/** `kiln start` (region and rack agent in one process) and `kiln region` (region only). */
export function registerStartCommands(program: Command, deps: ServerCommandDeps): void {
  addConfigOptions(
    program
      .command('start')
      .description(
        'Run Kiln on this machine: the region (MAAS API on :5240) and a rack agent (TFTP :69, HTTP :5248, DHCP).',
      ),
  ).action(async (_options: unknown, command: Command) => runRegion(command, deps, 'region', true));
  addConfigOptions(
    program
      .command('region')
      .description('Run only the region server (MAAS API, database, image store).'),
  ).action(async (_options: unknown, command: Command) => runRegion(command, deps, 'region'));
}
