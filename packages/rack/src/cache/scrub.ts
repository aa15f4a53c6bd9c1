import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { DiskBootFileCache } from './boot-file-cache.js';

/** How often the scrub looks for due files when none is due. */
const IDLE_MS = 60_000;

/**
 * The background scrub: re-hashes cached files one at a time, most overdue first (files not
 * verified since start-up come first), each at most once per `periodMs`, at `bytesPerSecond`.
 * A corrupt file is quarantined and fetched again by the cache, as on first serve.
 */
export function startScrub(
  cache: DiskBootFileCache,
  options: { bytesPerSecond: number; periodMs: number; logger: Logger },
): { stop(): Promise<void> } {
  const controller = new AbortController();
  const loop = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      const next = cache.nextToScrub(options.periodMs);
      if (next === undefined) {
        await sleep(IDLE_MS, undefined, { signal: controller.signal, ref: false }).catch(
          () => undefined,
        );
        continue;
      }
      const pass = cache.verify(next.sha256, next.entry, 'scrub');
      await pass.done;
    }
  };
  const running = loop().catch((err: unknown) =>
    options.logger.error({ err }, 'boot file cache scrub stopped'),
  );
  return {
    stop: async () => {
      controller.abort();
      await running;
    },
  };
}
