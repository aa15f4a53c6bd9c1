import { setTimeout as sleep } from 'node:timers/promises';
import type { EventLevel, PowerAction, PowerState } from '@kiln/protocol';
import type { Logger } from 'pino';
import type { PowerContext, PowerDriver } from './power-driver.js';
import { isRetryablePowerError, powerAborted } from './power-errors.js';

/** One entry for the machine's event log; the caller stores it (see `recordEvent`). */
export interface PowerEventRecord {
  /** MAAS's event type description, e.g. `Node powered on`, `Failed to power on node`. */
  readonly type: string;
  readonly level: EventLevel;
  readonly description: string;
  readonly systemId: string;
  readonly powerType: string;
  readonly action: PowerAction;
  readonly attempt: number;
  readonly errorCode?: string;
}

export interface BackoffOptions {
  readonly initialMs?: number;
  readonly factor?: number;
  readonly maxMs?: number;
}

export interface RunPowerActionOptions {
  readonly systemId: string;
  readonly logger: Logger;
  /** Stores an event; failures to store are logged and never fail the power action. */
  readonly recordEvent: (event: PowerEventRecord) => void | Promise<void>;
  readonly signal?: AbortSignal;
  /** Further attempts after the first one fails with a retryable error (default 3). */
  readonly retries?: number;
  /** Delay before retry n is initialMs·factor^(n-1), capped at maxMs (default 1 s, ×2, 30 s). */
  readonly backoff?: BackoffOptions;
}

export interface PowerActionResult {
  readonly attempts: number;
  /** The observed state for `query`; absent for on/off. */
  readonly state?: PowerState;
}

const TYPES: Record<PowerAction, { start?: string; done: string; failed: string }> = {
  on: { start: 'Powering on', done: 'Node powered on', failed: 'Failed to power on node' },
  off: { start: 'Powering off', done: 'Node powered off', failed: 'Failed to power off node' },
  query: { done: "Queried node's BMC", failed: "Failed to query node's BMC" },
};

export function backoffDelay(retry: number, backoff: BackoffOptions = {}): number {
  const { initialMs = 1000, factor = 2, maxMs = 30_000 } = backoff;
  return Math.min(maxMs, initialMs * factor ** (retry - 1));
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
const codeOf = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/**
 * Run one power operation with retries and backoff, recording each start, failed attempt,
 * success and final failure as machine events. Throws the last error when all attempts fail.
 */
export async function runPowerAction<P>(
  driver: PowerDriver<P>,
  action: PowerAction,
  params: P,
  options: RunPowerActionOptions,
): Promise<PowerActionResult> {
  const signal = options.signal ?? new AbortController().signal;
  const logger = options.logger.child({ machineId: options.systemId, powerType: driver.name });
  const ctx: PowerContext = { systemId: options.systemId, signal, logger };
  const retries = Math.max(0, options.retries ?? 3);
  const types = TYPES[action];
  const record = async (
    type: string,
    level: EventLevel,
    description: string,
    attempt: number,
    errorCode?: string,
  ) => {
    const event: PowerEventRecord = {
      type,
      level,
      description,
      attempt,
      action,
      systemId: options.systemId,
      powerType: driver.name,
      ...(errorCode === undefined ? {} : { errorCode }),
    };
    try {
      await options.recordEvent(event);
    } catch (error) {
      logger.error({ err: error, eventType: type }, 'could not record power event');
    }
  };

  if (types.start !== undefined) {
    const manual = driver.queryable ? '' : ' (manual: the operator must do this by hand)';
    await record(types.start, 'INFO', `${types.start} via ${driver.name}${manual}`, 1);
  }
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw powerAborted(signal.reason);
    try {
      const state = await perform(driver, action, params, ctx);
      const detail = state === undefined ? driver.name : `power state ${state}`;
      await record(types.done, action === 'query' ? 'DEBUG' : 'INFO', detail, attempt);
      return state === undefined ? { attempts: attempt } : { attempts: attempt, state };
    } catch (error) {
      const finalAttempt = attempt > retries || !isRetryablePowerError(error) || signal.aborted;
      const code = codeOf(error);
      if (finalAttempt) {
        logger.warn({ err: error, action, attempt }, 'power action failed');
        await record(
          types.failed,
          action === 'query' ? 'WARNING' : 'ERROR',
          messageOf(error),
          attempt,
          code,
        );
        throw error;
      }
      const delay = backoffDelay(attempt, options.backoff);
      const text = `attempt ${attempt} of ${retries + 1} failed: ${messageOf(error)}; retrying in ${delay} ms`;
      logger.info({ err: error, action, attempt, delay }, 'power action attempt failed, retrying');
      await record(types.failed, 'WARNING', text, attempt, code);
      await sleep(delay, undefined, { signal }).catch((cause: unknown) => {
        throw powerAborted(cause);
      });
    }
  }
}

async function perform<P>(
  driver: PowerDriver<P>,
  action: PowerAction,
  params: P,
  ctx: PowerContext,
) {
  switch (action) {
    case 'on':
      await driver.powerOn(params, ctx);
      return undefined;
    case 'off':
      await driver.powerOff(params, ctx);
      return undefined;
    case 'query':
      return driver.queryState(params, ctx);
  }
}
