import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { AppError } from '@kiln/node-kit';
import { writeFileAtomic } from './atomic-write.js';
import type { DhcpBootOptions } from './boot-file-names.js';
import type { DhcpPlan, SkippedSubnet } from './dhcp-plan.js';
import { renderDnsmasqConfig } from './dnsmasq-config.js';
import type { DnsmasqProcess } from './dnsmasq-process.js';
import { checkDnsmasqConfig, describeExit, startDnsmasq } from './dnsmasq-process.js';
import { registerDhcpMetrics } from './dhcp-metrics.js';
import { createLatestWinsQueue } from './latest-wins-queue.js';

/**
 * Supervises the rack's dnsmasq: renders its configuration from the region's DHCP plan, restarts
 * it only when the rendered text changed, restarts it with backoff when it dies, and says how it
 * is doing. No VLAN with DHCP on for this rack (or external mode) means no dnsmasq at all.
 */
export interface DhcpServiceOptions {
  readonly dnsmasqPath: string;
  readonly dataDir: string;
  readonly logger: Logger;
  /** Delay before the first restart after a crash; doubles per consecutive crash up to `maxRestartDelayMs`. */
  readonly restartDelayMs?: number;
  readonly maxRestartDelayMs?: number;
  /** A dnsmasq that ran this long is healthy again: the next crash starts the backoff from scratch. */
  readonly stableAfterMs?: number;
  readonly stopGraceMs?: number;
  readonly startTimeoutMs?: number;
  /** The rack's `/metrics` registry; a private one when absent. */
  readonly metricsRegistry?: Registry;
}

export type DhcpApplyInput =
  | {
      readonly mode: 'managed';
      readonly plan: DhcpPlan;
      readonly boot?: DhcpBootOptions;
      readonly leaseSeconds?: number;
      readonly logDhcp?: boolean;
      readonly pingCheck?: boolean;
      readonly user?: string;
    }
  /** DHCP-only mode: an existing DHCP server points machines at this rack; Kiln serves none. */
  | { readonly mode: 'external' };

export type DhcpServiceState =
  'disabled' | 'external' | 'starting' | 'running' | 'backoff' | 'stopped';

export interface DhcpHealth {
  readonly state: DhcpServiceState;
  readonly running: boolean;
  readonly pid: number | null;
  /** Restarts after dnsmasq died on its own (configuration changes are not counted). */
  readonly restarts: number;
  readonly lastError: string | null;
  readonly configVersion: number | null;
  readonly subnets: readonly string[];
  readonly skipped: readonly SkippedSubnet[];
  readonly configFile: string;
}

export interface DhcpApplyResult {
  readonly changed: boolean;
  readonly health: DhcpHealth;
}

export interface DhcpService {
  /**
   * Serialised; applies that arrive while another is in progress are merged and only the newest
   * input is applied (its result, or error, goes to every merged caller).
   */
  apply(input: DhcpApplyInput): Promise<DhcpApplyResult>;
  health(): DhcpHealth;
  stop(): Promise<void>;
}

export function createDhcpService(options: DhcpServiceOptions): DhcpService {
  const logger = options.logger.child({ module: 'dhcp' });
  const dir = join(options.dataDir, 'dhcp');
  const configFile = join(dir, 'dnsmasq.conf');
  const restartDelayMs = options.restartDelayMs ?? 500;
  const maxRestartDelayMs = options.maxRestartDelayMs ?? 30_000;
  const stableAfterMs = options.stableAfterMs ?? 30_000;
  const stopGraceMs = options.stopGraceMs ?? 5_000;
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;

  let state: DhcpServiceState = 'disabled';
  let child: DnsmasqProcess | null = null;
  let childStartedAt = 0;
  let appliedText: string | null = null;
  let appliedPlan: DhcpPlan | null = null;
  let restarts = 0;
  let crashesInARow = 0;
  let lastError: string | null = null;
  let restartTimer: NodeJS.Timeout | null = null;

  function health(): DhcpHealth {
    return {
      state,
      running: state === 'running',
      pid: child?.pid ?? null,
      restarts,
      lastError,
      configVersion: appliedPlan?.version ?? null,
      subnets: appliedPlan?.subnets.map((subnet) => `${subnet.cidr}@${subnet.interfaceName}`) ?? [],
      skipped: appliedPlan?.skipped ?? [],
      configFile,
    };
  }

  function cancelRestart(): void {
    if (restartTimer !== null) clearTimeout(restartTimer);
    restartTimer = null;
  }

  function onUnexpectedExit(proc: DnsmasqProcess, exit: Parameters<typeof describeExit>[0]): void {
    if (child !== proc) return; // stopped on purpose
    child = null;
    crashesInARow = Date.now() - childStartedAt >= stableAfterMs ? 1 : crashesInARow + 1;
    const delay = Math.min(maxRestartDelayMs, restartDelayMs * 2 ** (crashesInARow - 1));
    const output = proc.recentOutput().slice(-3).join(' | ');
    lastError = `dnsmasq stopped (${describeExit(exit)})${output === '' ? '' : `: ${output}`}`;
    logger.error(
      { exit: describeExit(exit), delayMs: delay, output },
      'dnsmasq stopped; restarting after a delay',
    );
    state = 'backoff';
    restartTimer = setTimeout(() => {
      restartTimer = null;
      restarts += 1;
      void launch();
    }, delay);
  }

  /** Resolves null once dnsmasq reports it started, or why not if it died or stayed silent first. */
  async function launch(): Promise<string | null> {
    state = 'starting';
    const proc = startDnsmasq(options.dnsmasqPath, configFile, logger);
    child = proc;
    childStartedAt = Date.now();
    void proc.exited.then((exit) => onUnexpectedExit(proc, exit));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>(
      (resolve) => (timer = setTimeout(() => resolve(false), startTimeoutMs)),
    );
    const ready = await Promise.race([proc.ready, timedOut]);
    clearTimeout(timer);
    // It died before saying it started (onUnexpectedExit recorded why).
    if (child !== proc) return lastError ?? 'dnsmasq stopped while starting';
    if (ready) {
      state = 'running';
      logger.info({ pid: proc.pid, version: appliedPlan?.version }, 'dnsmasq running');
    } else {
      lastError = `dnsmasq did not report start-up within ${startTimeoutMs} ms`;
    }
    return ready ? null : (lastError ?? 'dnsmasq did not start');
  }

  async function halt(): Promise<void> {
    cancelRestart();
    const proc = child;
    child = null;
    if (proc !== null) await proc.stop(stopGraceMs);
  }

  async function applyNow(input: DhcpApplyInput): Promise<DhcpApplyResult> {
    if (input.mode === 'external' || input.plan.subnets.length === 0) {
      const next: DhcpServiceState = input.mode === 'external' ? 'external' : 'disabled';
      const changed = child !== null || state !== next;
      await halt();
      appliedText = null;
      appliedPlan = input.mode === 'managed' ? input.plan : null;
      state = next;
      if (changed) logger.info({ state: next }, 'Kiln serves no DHCP');
      return { changed, health: health() };
    }
    await mkdir(dir, { recursive: true });
    const text = renderDnsmasqConfig(input.plan, {
      leaseFile: join(dir, 'dnsmasq.leases'),
      pidFile: join(dir, 'dnsmasq.pid'),
      ...(input.leaseSeconds === undefined ? {} : { leaseSeconds: input.leaseSeconds }),
      ...(input.logDhcp === undefined ? {} : { logDhcp: input.logDhcp }),
      ...(input.user === undefined ? {} : { user: input.user }),
      ...(input.pingCheck === undefined ? {} : { pingCheck: input.pingCheck }),
      ...(input.boot === undefined ? {} : { boot: input.boot }),
    });
    if (text === appliedText && (child !== null || restartTimer !== null)) {
      appliedPlan = input.plan;
      return { changed: false, health: health() };
    }

    const candidate = join(dir, 'dnsmasq.conf.next');
    await writeFileAtomic(candidate, text);
    const check = await checkDnsmasqConfig(options.dnsmasqPath, candidate);
    if (!check.ok) {
      await unlink(candidate).catch(() => undefined);
      throw new AppError(
        'DHCP_CONFIG_INVALID',
        `dnsmasq rejected the rendered configuration: ${check.output}`,
        {
          details: { version: input.plan.version },
        },
      );
    }
    const previous = appliedText === null ? null : { text: appliedText, plan: appliedPlan };
    await writeFileAtomic(configFile, text);
    await unlink(candidate).catch(() => undefined);
    await halt();
    appliedText = text;
    appliedPlan = input.plan;
    crashesInARow = 0;
    lastError = null;
    const failure = await launch();
    if (failure === null || previous === null) return { changed: true, health: health() };

    // The new configuration passed --test but dnsmasq would not run with it (an interface that is
    // gone, an address in use): go back to the one that worked rather than leave the VLAN dark.
    logger.error(
      { version: input.plan.version, failure },
      'dnsmasq failed with the new configuration; rolling back',
    );
    await halt();
    await writeFileAtomic(configFile, previous.text);
    appliedText = previous.text;
    appliedPlan = previous.plan;
    await launch();
    throw new AppError(
      'DHCP_START_FAILED',
      `dnsmasq did not start with the new configuration: ${failure}`,
      {
        details: { version: input.plan.version },
      },
    );
  }

  registerDhcpMetrics(health, options.metricsRegistry);
  const queue = createLatestWinsQueue(applyNow);
  return {
    apply: (input) => queue.push(input),
    health,
    stop: () =>
      queue.exclusive(async () => {
        await halt();
        appliedText = null;
        state = 'stopped';
      }),
  };
}
