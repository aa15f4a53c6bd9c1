import type { KilnConfig } from '@kiln/node-kit';
import type { Logger } from 'pino';
import type { DhcpBootOptions, RackInterface } from '../dhcp/index.js';
import type { DhcpMode } from './dhcp-poller.js';

export interface RackAgentOptions {
  /** Holds `rack-id.json`, `cache/`, `dhcp/` and fetched `bootloaders/`. */
  readonly dataDir: string;
  /** Region URLs in failover order (`http://host:5240/MAAS/` or without /MAAS). */
  readonly regionUrls: readonly string[];
  readonly secret: string;
  readonly logger: Logger;
  /** Address the HTTP and TFTP servers bind to; default `0.0.0.0`. */
  readonly listenAddress?: string;
  /** Default 5248; 0 picks a free port (tests). */
  readonly httpPort?: number;
  /** Default 69; 0 picks a free port (tests); null leaves TFTP off. */
  readonly tftpPort?: number | null;
  /** Cache size limit in bytes; default 4 GiB. */
  readonly cacheSize?: number;
  /** Host name to register with (first start only; then it is read from rack-id.json). */
  readonly hostname?: string;
  /** Overrides the region's heartbeat period. */
  readonly heartbeatIntervalMs?: number;
  /** DHCP: `managed` (default, dnsmasq on VLANs with DHCP on), `external`, or false for none. */
  readonly dhcp?:
    | false
    | {
        readonly mode?: DhcpMode;
        readonly dnsmasqPath?: string;
        readonly pollIntervalMs?: number;
        readonly boot?: DhcpBootOptions;
      };
  /**
   * The rack's interfaces (addresses in CIDR form), reported to the region and used to plan DHCP
   * and to pick the rack address a client faces; default: the host's non-loopback IPv4 interfaces.
   */
  readonly interfaces?: () => readonly RackInterface[];
  /** The region's bootloaders folder when it runs on this host (`kiln start`). */
  readonly localBootloadersDir?: string;
  /** How long a boot answer may be reused; default 5 s (bootconfig's default). */
  readonly bootAnswerTtlMs?: number;
  readonly version?: string;
}

/** Rack agent options from the declared settings (flags, KILN_* environment, YAML). */
export function rackAgentOptionsFromConfig(
  config: KilnConfig,
  logger: Logger,
  secret: string,
): RackAgentOptions {
  return {
    dataDir: config.dataDir,
    regionUrls: config.regionUrls,
    secret,
    logger,
    listenAddress: config.listenAddress,
    httpPort: config.rackHttpPort,
    tftpPort: config.tftpPort,
    cacheSize: config.rackCacheSize,
    heartbeatIntervalMs: config.rackHeartbeatSeconds * 1000,
  };
}
