import { join } from 'node:path';
import { AppError } from '@kiln/node-kit';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createBootConfigService, createCachingBootPurposeSource } from '../bootconfig/index.js';
import { createBootFileCache, type BootFileCache } from '../cache/index.js';
import { createDhcpService, listRackInterfaces, type DhcpService } from '../dhcp/index.js';
import { createRackHttpServer, DEFAULT_RACK_HTTP_PORT } from '../http/index.js';
import { createTftpServer, type TftpServer } from '../tftp/index.js';
import type { RackAgentOptions } from './agent-options.js';
import { installAgentRoutes } from './agent-routes.js';
import { createBootloaderResolver } from './bootloader-resolver.js';
import { readCacheReport } from './cache-report.js';
import { createDhcpPoller, type DhcpPoller } from './dhcp-poller.js';
import { listenOrExplain } from './listen-or-explain.js';
import { createRegionApi } from './region-api.js';
import { createRegionBootPurposeSource } from './region-boot-purpose-source.js';
import { loadRackIdentity, type RackIdentity } from './rack-identity.js';
import { createRegistration, type Registration } from './registration.js';
import { createTftpResolver } from './tftp-resolver.js';

export interface RunningRackAgent {
  readonly identity: RackIdentity;
  /** Bound HTTP port, or null when it could not be bound. */
  readonly httpPort: number | null;
  /** Bound TFTP port, or null when TFTP is off (disabled or not bindable). */
  readonly tftpPort: number | null;
  readonly cache: BootFileCache;
  readonly registration: Registration;
  /** Resolves once the region accepted the registration (rejects on a refused secret). */
  readonly registered: Promise<void>;
  readonly dhcp: { readonly service: DhcpService; readonly poller: DhcpPoller } | null;
  readonly metricsRegistry: Registry;
  /** Problems that left a service off (unbindable ports), for status output. */
  readonly problems: readonly string[];
  close(): Promise<void>;
}

function wildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '';
}

/**
 * The rack agent: boot-file cache, HTTP boot server with /metrics, TFTP, boot configs from the
 * region, supervised DHCP, and registration with heartbeats. Services start before registration
 * finishes, so a rack whose region is briefly down still serves what it has cached.
 */
export async function startRackAgent(options: RackAgentOptions): Promise<RunningRackAgent> {
  if (options.secret === '')
    throw new AppError(
      'RACK_SECRET_MISSING',
      'The rack needs the region secret (--secret or KILN_RACK_SECRET; `kiln secret` prints it).',
    );
  const logger = options.logger.child({ component: 'rack' });
  const identity = await loadRackIdentity(options.dataDir, options.hostname);
  const api = createRegionApi({ regionUrls: options.regionUrls, secret: options.secret, logger });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kiln_rack_' });
  const listenAddress = options.listenAddress ?? '0.0.0.0';
  const httpPort = options.httpPort ?? DEFAULT_RACK_HTTP_PORT;
  const cache = await createBootFileCache({
    dir: join(options.dataDir, 'cache'),
    ...(options.cacheSize === undefined ? {} : { maxBytes: options.cacheSize }),
    regionUrls: () => api.urls(),
    logger,
    metricsRegistry: registry,
  });
  const source = createCachingBootPurposeSource(createRegionBootPurposeSource(api), {
    ...(options.bootAnswerTtlMs === undefined ? {} : { ttlMs: options.bootAnswerTtlMs }),
    metricsRegistry: registry,
  });
  const bootConfigs = createBootConfigService({
    source,
    logger,
    // Read per request: the bound port is known only after listen (and is ephemeral for port 0).
    httpPort: () => boundHttp ?? (httpPort === 0 ? DEFAULT_RACK_HTTP_PORT : httpPort),
  });
  const bootloaders = createBootloaderResolver({
    localDir: options.localBootloadersDir,
    mirrorDir: join(options.dataDir, 'bootloaders'),
    regionUrls: () => api.urls(),
    logger,
  });
  const problems: string[] = [];
  const http = createRackHttpServer({
    cache,
    bootloaders,
    bootConfigs,
    regionUrls: () => api.urls(),
    logger,
    metricsRegistry: registry,
  });
  let tftp: TftpServer | null = null;
  let dhcp: RunningRackAgent['dhcp'] = null;

  const status = () => ({
    system_id: identity.system_id,
    hostname: identity.hostname,
    registered: registration.registered,
    last_heartbeat: registration.lastHeartbeat?.toISOString() ?? null,
    regions: api.urls(),
    http_port: boundHttp,
    tftp_port: tftp?.address().port ?? null,
    dhcp: dhcp?.service.health() ?? null,
    cache: cache.stats(),
    problems,
  });
  installAgentRoutes(http.server, { cache, registry, status, logger });

  const httpResult = await listenOrExplain('rack HTTP', httpPort, logger, () =>
    http.listen(httpPort, listenAddress),
  );
  const boundHttp = httpResult.value === null ? null : httpResult.value.port;
  if (httpResult.problem !== null) problems.push(httpResult.problem);

  const interfaces = options.interfaces ?? (() => listRackInterfaces());
  if (options.tftpPort !== null) {
    const tftpPort = options.tftpPort ?? 69;
    const boundAddress = wildcard(listenAddress)
      ? (interfaces()[0]?.addresses[0]?.split('/')[0] ?? '127.0.0.1')
      : listenAddress;
    const resolve = createTftpResolver({
      cache,
      bootConfigs,
      bootloaders,
      interfaces,
      boundAddress,
    });
    const result = await listenOrExplain('TFTP', tftpPort, logger, () =>
      createTftpServer({ port: tftpPort, address: listenAddress, resolve, logger, registry }),
    );
    tftp = result.value;
    if (result.problem !== null) problems.push(result.problem);
  }

  const registration: Registration = createRegistration({
    api,
    secret: options.secret,
    identity,
    version: options.version ?? '0.1.0',
    logger,
    interfaces,
    services: () => ({
      http: boundHttp === null ? 'off' : 'running',
      tftp: tftp === null ? 'off' : 'running',
      dhcpd: dhcp === null ? 'off' : dhcp.service.health().state,
    }),
    cache: () => readCacheReport(cache, registry),
    ...(options.heartbeatIntervalMs === undefined
      ? {}
      : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
    onNetworkVersion: (version) => {
      dhcp?.poller.noteVersion(version);
    },
  });

  if (options.dhcp !== false) {
    const dhcpOptions = options.dhcp ?? {};
    const service = createDhcpService({
      dnsmasqPath: dhcpOptions.dnsmasqPath ?? '/usr/sbin/dnsmasq',
      dataDir: options.dataDir,
      logger,
      metricsRegistry: registry,
    });
    const poller = createDhcpPoller({
      api,
      secret: options.secret,
      systemId: identity.system_id,
      service,
      interfaces,
      logger,
      ...(dhcpOptions.mode === undefined ? {} : { mode: dhcpOptions.mode }),
      boot: { httpPort: boundHttp ?? httpPort, ...dhcpOptions.boot },
      ...(dhcpOptions.pollIntervalMs === undefined
        ? {}
        : { intervalMs: dhcpOptions.pollIntervalMs }),
    });
    dhcp = { service, poller };
  }

  let closing: Promise<void> | null = null;
  const registered = registration.start().then(() => {
    if (closing === null) dhcp?.poller.start();
  });
  // Observed here so a refused secret is logged even when the caller never awaits `registered`.
  registered.catch((error: unknown) => {
    logger.error({ err: error }, 'the region refused this rack; fix the secret and restart');
  });

  return {
    identity,
    httpPort: boundHttp,
    tftpPort: tftp?.address().port ?? null,
    cache,
    registration,
    registered,
    dhcp,
    metricsRegistry: registry,
    problems,
    close() {
      closing ??= (async () => {
        registration.stop();
        dhcp?.poller.stop();
        api.close();
        await Promise.allSettled([
          tftp?.close(),
          boundHttp === null ? undefined : http.close(),
          dhcp?.service.stop(),
        ]);
        await cache.close();
      })();
      return closing;
    },
  };
}
