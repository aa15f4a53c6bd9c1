/**
 * Runs jobs one at a time. Inputs pushed while an earlier job is running or waiting are merged:
 * only the newest runs, and every caller whose input it replaced gets that run's outcome. A burst
 * of region changes (200 machines enlisting at once) then costs one dnsmasq restart, not 200.
 */
export interface LatestWinsQueue<I, R> {
  push(input: I): Promise<R>;
  /** Runs `task` after everything queued so far, never merged with anything. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
}

interface Batch<I, R> {
  input: I;
  readonly callers: { resolve: (value: R) => void; reject: (reason: unknown) => void }[];
}

export function createLatestWinsQueue<I, R>(run: (input: I) => Promise<R>): LatestWinsQueue<I, R> {
  let tail: Promise<unknown> = Promise.resolve();
  let waiting: Batch<I, R> | null = null;

  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = tail.then(task);
    tail = result.catch(() => undefined);
    return result;
  }

  return {
    push(input) {
      return new Promise<R>((resolve, reject) => {
        if (waiting !== null) {
          waiting.input = input;
          waiting.callers.push({ resolve, reject });
          return;
        }
        const batch: Batch<I, R> = { input, callers: [{ resolve, reject }] };
        waiting = batch;
        void enqueue(async () => {
          // From here on, new inputs start the next batch: this one's input is fixed.
          if (waiting === batch) waiting = null;
          try {
            const value = await run(batch.input);
            for (const caller of batch.callers) caller.resolve(value);
          } catch (error) {
            for (const caller of batch.callers) caller.reject(error);
          }
        });
      });
    },
    exclusive(task) {
      // A stop must not be overtaken by an apply queued before it: close the waiting batch.
      waiting = null;
      return enqueue(task);
    },
  };
}
