/**
 * The rack agent (`startRackAgent`: cache, HTTP boot server, boot configs from the region, TFTP,
 * registration; DHCP off) in its own process, so the storm's clients do not share its event loop
 * and its peak memory (VmHWM) is its own. Configured by the JSON in KILN_STORM_RACK; prints
 * `{"ready":true}` on stdout once registered and listening; exits cleanly on SIGTERM.
 */
import { startRackAgent } from '@kiln/rack';
import { pino } from 'pino';

interface RackChildConfig {
  readonly host: string;
  readonly httpPort: number;
  readonly tftpPort?: number;
  readonly regionUrl: string;
  readonly rackSecret: string;
  /** The agent's data directory (identity, cache/); empty at start: a cold rack. */
  readonly cacheDir: string;
}

const config = JSON.parse(process.env.KILN_STORM_RACK ?? '{}') as RackChildConfig;
const logger = pino({ level: process.env.KILN_STORM_LOG ?? 'warn' }, pino.destination(2));
const agent = await startRackAgent({
  dataDir: config.cacheDir,
  regionUrls: [config.regionUrl],
  secret: config.rackSecret,
  logger,
  listenAddress: config.host,
  httpPort: config.httpPort,
  tftpPort: config.tftpPort ?? null,
  dhcp: false,
  // The storm is on loopback: the rack faces its clients on the address it is bound to.
  interfaces: () => [{ name: 'lo', addresses: [`${config.host}/8`] }],
});
if (agent.httpPort === null)
  throw new Error(`rack HTTP could not bind: ${agent.problems.join('; ')}`);
await agent.registered;
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
process.once('SIGTERM', () => {
  void agent.close().then(() => process.exit(0));
});
