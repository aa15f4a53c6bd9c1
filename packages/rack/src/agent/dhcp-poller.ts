import { DhcpStateSchema, type DhcpState } from '@kiln/protocol';
import type { Logger } from 'pino';
import {
  planDhcp,
  type DhcpApplyResult,
  type DhcpBootOptions,
  type DhcpService,
  type RackInterface,
} from '../dhcp/index.js';
import type { RegionApi } from './region-api.js';

export type DhcpMode = 'managed' | 'external';

export interface DhcpPollerOptions {
  readonly api: RegionApi;
  readonly secret: string;
  readonly systemId: string;
  readonly service: Pick<DhcpService, 'apply'>;
  readonly interfaces: () => readonly RackInterface[];
  readonly logger: Logger;
  /** `external`: an existing DHCP server points machines at this rack; Kiln runs no dnsmasq. */
  readonly mode?: DhcpMode;
  readonly boot?: DhcpBootOptions;
  /** Safety net period; a heartbeat that reports a new network version triggers a poll at once. */
  readonly intervalMs?: number;
}

export interface DhcpPoller {
  /** Fetches the state and applies it now; resolves with the apply result (null in external mode). */
  poll(): Promise<DhcpApplyResult | null>;
  /** Called with the region's network version from heartbeats; polls when it moved. */
  noteVersion(version: number): void;
  start(): void;
  stop(): void;
  readonly lastState: DhcpState | null;
}

/**
 * Keeps the rack's dnsmasq in line with the region: reads the DHCP state (subnets, VLANs,
 * ranges, reservations), plans what this rack serves on its interfaces, and applies it (the
 * service restarts dnsmasq only when the rendered configuration changed).
 */
export function createDhcpPoller(options: DhcpPollerOptions): DhcpPoller {
  const logger = options.logger.child({ module: 'dhcp-poller' });
  const mode = options.mode ?? 'managed';
  let timer: NodeJS.Timeout | null = null;
  let lastVersion: number | null = null;
  let lastState: DhcpState | null = null;
  let running: Promise<DhcpApplyResult | null> | null = null;

  async function pollOnce(): Promise<DhcpApplyResult | null> {
    if (mode === 'external') {
      await options.service.apply({ mode: 'external' });
      return null;
    }
    const raw = await options.api.postForm('api/2.0/rack-agent/?op=dhcp_state', {
      secret: options.secret,
      system_id: options.systemId,
    });
    const state = DhcpStateSchema.parse(raw);
    lastState = state;
    lastVersion = state.version;
    const plan = planDhcp(state, options.systemId, options.interfaces());
    for (const problem of plan.problems) logger.warn({ problem }, 'DHCP state problem');
    const result = await options.service.apply({
      mode: 'managed',
      plan,
      ...(options.boot === undefined ? {} : { boot: options.boot }),
    });
    if (result.changed)
      logger.info(
        { subnets: result.health.subnets, state: result.health.state },
        'DHCP configuration applied',
      );
    return result;
  }

  function poll(): Promise<DhcpApplyResult | null> {
    running ??= pollOnce().finally(() => {
      running = null;
    });
    return running;
  }

  const safePoll = () => {
    poll().catch((error: unknown) => {
      logger.warn({ err: error }, 'DHCP state poll failed; keeping the current configuration');
    });
  };

  return {
    poll,
    noteVersion(version) {
      if (version !== lastVersion) safePoll();
    },
    start() {
      safePoll();
      timer = setInterval(safePoll, options.intervalMs ?? 60_000);
      timer.unref();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
    },
    get lastState() {
      return lastState;
    },
  };
}
