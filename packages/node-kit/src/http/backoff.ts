import { AppError } from '../errors/index.js';

export interface RetryPolicy {
  /** Attempts after the first one (default 5). */
  readonly retries?: number;
  /** First delay; doubles per attempt up to maxDelayMs (defaults 250 ms and 10 s). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const base = policy.baseDelayMs ?? 250;
  const max = policy.maxDelayMs ?? 10_000;
  const exp = Math.min(max, base * 2 ** attempt);
  // Jitter spreads the retries of many racks hitting one region after an outage.
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

export function abortError(signal: AbortSignal): AppError {
  return new AppError('HTTP_ABORTED', 'Transfer aborted', { cause: signal.reason });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A function rather than an inline check so that TypeScript does not narrow `aborted` across awaits. */
export function isAborted(signal: AbortSignal | undefined): signal is AbortSignal {
  return signal?.aborted === true;
}
