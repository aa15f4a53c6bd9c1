import type { Command } from 'commander';
import { AppError, createLogger, onShutdownSignals } from '@kiln/node-kit';
import { rackAgentOptionsFromConfig, startRackAgent, type RunningRackAgent } from '@kiln/rack';
import { addConfigOptions, configFromOptions } from '../server/config-options.js';
import { say, type ServerCommandDeps } from '../server/server-deps.js';

/** One status line per service, so an operator sees at once what runs and what stayed off. */
export function describeRackAgent(agent: RunningRackAgent, regions: readonly string[]): string[] {
  return [
    `Kiln rack ${agent.identity.hostname} (${agent.identity.system_id}) is running; regions: ${regions.join(', ')}.`,
    `  HTTP boot server: ${agent.httpPort === null ? 'off' : `port ${String(agent.httpPort)} (metrics at /metrics)`}`,
    `  TFTP: ${agent.tftpPort === null ? 'off' : `port ${String(agent.tftpPort)}`}`,
    `  DHCP: ${agent.dhcp === null ? 'off' : agent.dhcp.service.health().state}`,
    ...agent.problems.map((problem) => `  ! ${problem}`),
  ];
}

async function runRack(command: Command, deps: ServerCommandDeps): Promise<void> {
  const config = configFromOptions(command, deps.env ?? process.env);
  const options = command.opts<{ secret?: string; dhcp?: string }>();
  // rack_secret defaults to null at run time; KilnConfig types it as string (node-kit typing gap).
  const configured: unknown = config.rackSecret;
  const secret = options.secret ?? (typeof configured === 'string' ? configured : '');
  if (secret === '')
    throw new AppError(
      'RACK_SECRET_MISSING',
      'The rack needs the region secret: --secret S (or KILN_RACK_SECRET); run `kiln secret` on the region to print it.',
    );
  const dhcp = options.dhcp ?? 'managed';
  if (!['managed', 'external', 'off'].includes(dhcp))
    throw new AppError(
      'RACK_DHCP_MODE_INVALID',
      `--dhcp must be managed, external or off (got ${dhcp}).`,
    );
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    name: 'kiln-rack',
    ...(deps.logDestination === undefined ? {} : { destination: deps.logDestination }),
  });
  const agent = await startRackAgent({
    ...rackAgentOptionsFromConfig(config, logger, secret),
    dhcp: dhcp === 'off' ? false : { mode: dhcp as 'managed' | 'external' },
  });
  for (const line of describeRackAgent(agent, config.regionUrls)) say(command, line);
  const stop = () => agent.close();
  if (deps.onStarted !== undefined)
    deps.onStarted(stop, `http://127.0.0.1:${String(agent.httpPort ?? config.rackHttpPort)}/`);
  else onShutdownSignals(stop, logger);
}

/** `kiln rack --region-url URL[,URL...] --secret S [--data-dir DIR] [--dhcp managed|external|off]`. */
export function registerRackRunCommand(program: Command, deps: ServerCommandDeps): Command {
  const rack = addConfigOptions(
    program
      .command('rack')
      .description(
        'Run a rack agent: registers with the region, serves TFTP (:69), HTTP boot (:5248) and DHCP.',
      )
      .option('--secret <secret>', 'shared rack secret printed by `kiln secret` [KILN_RACK_SECRET]')
      .option(
        '--dhcp <mode>',
        'managed (dnsmasq on VLANs with DHCP on), external (another DHCP server points at this rack) or off',
      ),
  );
  rack.action(async (_options: unknown, command: Command) => runRack(command, deps));
  return rack;
}
