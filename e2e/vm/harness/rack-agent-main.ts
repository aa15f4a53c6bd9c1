// Kiln's real rack agent (startRackAgent from @kiln/rack) configured from KILN_* settings exactly
// as the CLI does. Used by the lab only while `kiln start` does not run the rack agent itself
// (kiln-server.ts detects that); prints "rack agent ready" once its services listen.
import { createLogger, loadConfig } from '@kiln/node-kit';
import { rackAgentOptionsFromConfig, startRackAgent } from '@kiln/rack';

const config = loadConfig({ env: process.env });
const logger = createLogger({ level: config.logLevel, name: 'kiln-rack' });
const agent = await startRackAgent(
  rackAgentOptionsFromConfig(config, logger, process.env.KILN_RACK_SECRET ?? ''),
);
await agent.registered;
process.stdout.write(
  `rack agent ready (http ${String(agent.httpPort)}, tftp ${String(agent.tftpPort)}) ${agent.problems.join('; ')}\n`,
);
const stop = () => {
  void agent.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
