import { AppError } from '@kiln/node-kit';
import type { BootAnswer, BootRequest } from '@kiln/protocol';
import { BootAnswerSchema } from '@kiln/protocol';
import type { Registry } from 'prom-client';
import { createBootAnswerMetrics } from './boot-answer-metrics.js';
import type {
  BootInvalidation,
  BootPurposeSource,
  CachingBootPurposeSource,
} from './boot-purpose-source.js';

/**
 * Boot storms ask the same question hundreds of times a second (every PXELINUX probe, every GRUB
 * retry), so answers are kept for a few seconds and identical concurrent lookups share one region
 * call. Correctness rule: an answer is never served across a state change. Every invalidation
 * bumps a generation; a lookup that started before it may still answer its own callers, but it is
 * neither cached nor shared with callers that arrive afterwards.
 */
export interface CachingBootPurposeSourceOptions {
  /** How long an answer may be reused; MAAS-like few seconds by default. */
  readonly ttlMs?: number;
  /** Bound on remembered answers; the oldest go first. */
  readonly maxEntries?: number;
  /** Injected clock (ms) so tests can move time without waiting. */
  readonly now?: () => number;
  /** The rack's `/metrics` registry; a private one when absent. */
  readonly metricsRegistry?: Registry;
}

interface Entry {
  readonly request: BootRequest;
  readonly answer: BootAnswer | null;
  readonly expiresAt: number;
}

interface Flight {
  readonly request: BootRequest;
  readonly promise: Promise<BootAnswer | null>;
}

export const DEFAULT_BOOT_ANSWER_TTL_MS = 5_000;

function cacheKey(request: BootRequest): string {
  return JSON.stringify([
    request.mac,
    request.uuid,
    request.arch,
    request.subarch,
    request.rack_address,
    request.rack_http_port,
    request.protocol,
    request.loader,
  ]);
}

function validated(answer: unknown): BootAnswer | null {
  if (answer === null) return null;
  const parsed = BootAnswerSchema.safeParse(answer);
  if (!parsed.success) {
    throw new AppError(
      'BOOT_ANSWER_INVALID',
      `The region sent an invalid boot answer: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

function touches(
  request: BootRequest,
  answer: BootAnswer | null,
  change: BootInvalidation,
): boolean {
  if (change.mac !== undefined && (request.mac === change.mac || answer?.bootif_mac === change.mac))
    return true;
  if (change.uuid !== undefined && request.uuid === change.uuid) return true;
  return change.systemId !== undefined && answer?.system_id === change.systemId;
}

export function createCachingBootPurposeSource(
  inner: BootPurposeSource,
  options: CachingBootPurposeSourceOptions = {},
): CachingBootPurposeSource {
  const ttlMs = options.ttlMs ?? DEFAULT_BOOT_ANSWER_TTL_MS;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const metrics = createBootAnswerMetrics(options.metricsRegistry);
  const entries = new Map<string, Entry>();
  const flights = new Map<string, Flight>();
  let generation = 0;
  let lastVersion: number | null = null;

  function remember(key: string, entry: Entry): void {
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done === true) break;
      entries.delete(oldest.value);
    }
  }

  function dropMatching(change: BootInvalidation): void {
    for (const [key, entry] of entries)
      if (touches(entry.request, entry.answer, change)) entries.delete(key);
    // A lookup in flight has no answer yet; match on its request alone.
    for (const [key, flight] of flights)
      if (touches(flight.request, null, change)) flights.delete(key);
  }

  const source: CachingBootPurposeSource = {
    lookup(request) {
      const key = cacheKey(request);
      const cached = entries.get(key);
      if (cached !== undefined && cached.expiresAt > now()) {
        metrics.answers.inc({ via: 'cache' });
        return Promise.resolve(cached.answer);
      }
      if (cached !== undefined) entries.delete(key);
      const shared = flights.get(key);
      if (shared !== undefined) {
        metrics.answers.inc({ via: 'shared' });
        return shared.promise;
      }
      metrics.answers.inc({ via: 'region' });

      const startedAt = generation;
      const promise = inner.lookup(request).then(validated);
      const flight: Flight = { request, promise };
      flights.set(key, flight);
      const settle = (): void => {
        if (flights.get(key) === flight) flights.delete(key);
      };
      promise.then((answer) => {
        settle();
        if (generation === startedAt) remember(key, { request, answer, expiresAt: now() + ttlMs });
      }, settle);
      return promise;
    },
    invalidate(change) {
      metrics.invalidations.inc();
      generation += 1;
      dropMatching(change);
      // In-flight lookups for other machines may carry an answer computed before the change (a
      // systemId-only change cannot be matched to a request yet): none of them may be shared on.
      if (change.systemId !== undefined) flights.clear();
    },
    invalidateAll() {
      metrics.invalidations.inc();
      generation += 1;
      entries.clear();
      flights.clear();
    },
    noteVersion(version) {
      if (lastVersion !== null && version !== lastVersion) source.invalidateAll();
      lastVersion = version;
    },
    get size() {
      return entries.size;
    },
  };
  return source;
}
