import { arch, cpus, networkInterfaces, totalmem } from 'node:os';
import { isAppError } from '@kiln/node-kit';
import type { RackCacheReport, RackReportInput } from '@kiln/protocol';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { RackInterface } from '../dhcp/index.js';
import type { RegionApi } from './region-api.js';
import type { RackIdentity } from './rack-identity.js';

const AGENT_PATH = 'api/2.0/rack-agent/';

const RegisterAnswerSchema = z.object({
  system_id: z.string(),
  heartbeat_interval: z.number().positive(),
  network_version: z.number().optional(),
});
const HeartbeatAnswerSchema = z.object({ network_version: z.number().optional() });

export interface RegistrationOptions {
  readonly api: RegionApi;
  readonly secret: string;
  readonly identity: RackIdentity;
  readonly version: string;
  readonly logger: Logger;
  readonly interfaces: () => readonly RackInterface[];
  /** Service states to report (`{http: 'running', tftp: 'off', dhcp: 'disabled'}`). */
  readonly services: () => Record<string, unknown>;
  /** Boot-file cache figures sent with every registration and heartbeat. */
  readonly cache?: () => Promise<RackCacheReport>;
  /** Overrides the region's suggested heartbeat period (tests, small sites). */
  readonly heartbeatIntervalMs?: number;
  /** Told when the region's network version moves (the DHCP poller re-reads its state). */
  readonly onNetworkVersion?: (version: number) => void;
}

export interface Registration {
  /** Registers (retrying until a region accepts or the secret is refused), then heartbeats. */
  start(): Promise<void>;
  /** One heartbeat now; resolves false when no region took it. */
  beat(): Promise<boolean>;
  readonly registered: boolean;
  readonly lastHeartbeat: Date | null;
  stop(): void;
}

const NODE_ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  ppc64: 'ppc64el',
  s390x: 's390x',
};

/** The interface's hardware address, when the host has that interface (not for test stand-ins). */
function macOf(name: string): string | null {
  const mac = networkInterfaces()[name]?.[0]?.mac;
  return mac === undefined || mac === '00:00:00:00:00:00' ? null : mac;
}

export function createRegistration(options: RegistrationOptions): Registration {
  const logger = options.logger.child({ module: 'registration' });
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  // Read through a function: `stop()` flips it while a request is awaited.
  const isStopped = () => stopped;
  let registered = false;
  let lastHeartbeat: Date | null = null;
  let intervalMs = options.heartbeatIntervalMs ?? 30_000;

  // Read fresh for every call: the cache figures are what the region shows as the rack's state.
  const report = async (): Promise<RackReportInput> => ({
    system_id: options.identity.system_id,
    hostname: options.identity.hostname,
    architecture: `${NODE_ARCH[arch()] ?? arch()}/generic`,
    version: options.version,
    cpu_count: cpus().length,
    memory: totalmem(),
    interfaces: options
      .interfaces()
      .map((i) => ({ name: i.name, mac_address: macOf(i.name), addresses: [...i.addresses] })),
    services: options.services(),
    ...(options.cache === undefined ? {} : { cache: await options.cache() }),
  });

  async function call(op: 'register' | 'heartbeat'): Promise<unknown> {
    return options.api.postForm(`${AGENT_PATH}?op=${op}`, {
      secret: options.secret,
      report: JSON.stringify(await report()),
    });
  }

  function schedule(): void {
    if (isStopped()) return;
    timer = setTimeout(() => {
      void beat().finally(schedule);
    }, intervalMs);
    timer.unref();
  }

  async function beat(): Promise<boolean> {
    try {
      const answer = HeartbeatAnswerSchema.parse(await call(registered ? 'heartbeat' : 'register'));
      registered = true;
      lastHeartbeat = new Date();
      if (answer.network_version !== undefined) options.onNetworkVersion?.(answer.network_version);
      return true;
    } catch (error) {
      logger.warn({ err: error }, 'heartbeat failed; will retry');
      return false;
    }
  }

  return {
    async start() {
      for (let attempt = 0; !stopped; attempt += 1) {
        try {
          const answer = RegisterAnswerSchema.parse(await call('register'));
          if (isStopped()) return;
          registered = true;
          lastHeartbeat = new Date();
          intervalMs = options.heartbeatIntervalMs ?? answer.heartbeat_interval * 1000;
          logger.info(
            { systemId: answer.system_id, region: options.api.urls()[0] },
            'registered with the region',
          );
          if (answer.network_version !== undefined)
            options.onNetworkVersion?.(answer.network_version);
          schedule();
          return;
        } catch (error) {
          if (isStopped()) return;
          if (isAppError(error) && error.code === 'RACK_SECRET_REJECTED') throw error;
          const delay = Math.min(30_000, 500 * 2 ** attempt);
          logger.warn({ err: error, retryInMs: delay }, 'registration failed; retrying');
          await new Promise((resolve) => setTimeout(resolve, delay).unref());
        }
      }
    },
    beat,
    get registered() {
      return registered;
    },
    get lastHeartbeat() {
      return lastHeartbeat;
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    },
  };
}
