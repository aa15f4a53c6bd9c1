/**
 * A rack assembled from its parts (boot-file cache, HTTP server, boot config service, TFTP) in
 * its own process, so the storm's clients do not share its event loop and its peak memory
 * (VmHWM) is its own. Configured by the JSON in KILN_STORM_RACK; prints `{"ready":true}` on
 * stdout once listening; exits cleanly on SIGTERM.
 */
import { bufferSource, createBootConfigService, createBootFileCache } from '@kiln/rack';
import { createCachingBootPurposeSource, createRackHttpServer, createTftpServer } from '@kiln/rack';
import { pino } from 'pino';
import { httpBootPurposeSource } from './region-boot-source.js';

interface RackChildConfig {
  readonly host: string;
  readonly httpPort: number;
  readonly tftpPort?: number;
  readonly regionUrl: string;
  readonly rackSecret: string;
  readonly cacheDir: string;
}

const config = JSON.parse(process.env.KILN_STORM_RACK ?? '{}') as RackChildConfig;
const logger = pino({ level: process.env.KILN_STORM_LOG ?? 'warn' }, pino.destination(2));
const cache = await createBootFileCache({
  dir: config.cacheDir,
  regionUrls: [config.regionUrl],
  logger,
});
const bootConfigs = createBootConfigService({
  source: createCachingBootPurposeSource(
    httpBootPurposeSource(config.regionUrl, config.rackSecret),
  ),
  logger,
  httpPort: config.httpPort,
});
const http = createRackHttpServer({
  cache,
  regionUrls: [config.regionUrl],
  logger,
  bootloaders: { resolve: () => Promise.resolve(undefined) },
  bootConfigs,
});
await http.listen(config.httpPort, config.host);
const tftp =
  config.tftpPort === undefined
    ? undefined
    : await createTftpServer({
        port: config.tftpPort,
        address: config.host,
        logger,
        mtu: undefined,
        resolve: async (path, client) => {
          if (!bootConfigs.isBootConfigPath(path)) return null;
          const rendered = await bootConfigs.render(path, {
            rackAddress: config.host,
            remoteAddress: client.address,
            protocol: 'tftp',
          });
          return rendered === null ? null : bufferSource(Buffer.from(rendered.body));
        },
      });
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
process.once('SIGTERM', () => {
  void (async () => {
    await tftp?.close();
    await http.close();
    await cache.close();
    process.exit(0);
  })();
});
