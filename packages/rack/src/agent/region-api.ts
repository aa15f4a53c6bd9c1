import { AppError, ExternalError } from '@kiln/node-kit';
import type { Logger } from 'pino';
import { normalizeRegionUrl } from '../cache/index.js';

export const RACK_SECRET_HEADER = 'X-Kiln-Rack-Secret';

export interface RegionApiOptions {
  readonly regionUrls: readonly string[];
  readonly secret: string;
  readonly logger: Logger;
  /** Per-request timeout before the next region is tried; default 5 s. */
  readonly timeoutMs?: number;
}

export interface RegionApi {
  /** Region bases (`http://host:5240`) with the one that last answered first. */
  urls(): string[];
  /** POST a form to `/MAAS/<path>` on the first region that answers; JSON result or null (204). */
  postForm(path: string, form: Record<string, string>): Promise<unknown>;
  /** POST JSON to `/MAAS/<path>` with the secret header (the boot purpose endpoint). */
  postJson(path: string, body: unknown): Promise<unknown>;
}

interface Attempt {
  readonly url: string;
  readonly init: RequestInit;
}

/**
 * The rack's client for everything but boot files: tries regions in order (the last good one
 * first), moves on when one refuses, times out or answers 5xx, and stops at the first definite
 * answer. 401 means the secret is wrong: retrying another region would not help, so it is final.
 */
export function createRegionApi(options: RegionApiOptions): RegionApi {
  const bases = options.regionUrls.map(normalizeRegionUrl);
  if (bases.length === 0)
    throw new AppError(
      'RACK_REGION_URL_MISSING',
      'At least one region URL is needed (--region-url).',
      {
        status: 400,
      },
    );
  let preferred = bases[0] ?? '';
  const timeoutMs = options.timeoutMs ?? 5_000;
  const ordered = () => [preferred, ...bases.filter((b) => b !== preferred)];

  async function send(make: (base: string) => Attempt): Promise<unknown> {
    const failures: string[] = [];
    for (const base of ordered()) {
      const attempt = make(base);
      let response: Response;
      try {
        response = await fetch(attempt.url, {
          ...attempt.init,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        failures.push(
          `${base}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`,
        );
        continue;
      }
      const text = await response.text();
      if (response.status >= 500) {
        failures.push(`${base}: HTTP ${response.status}`);
        continue;
      }
      if (preferred !== base) options.logger.info({ region: base }, 'using region');
      preferred = base;
      if (response.status === 401)
        throw new AppError(
          'RACK_SECRET_REJECTED',
          `Region ${base} rejected the rack secret: ${text}`,
          { status: 401 },
        );
      if (response.status >= 400)
        throw new AppError(
          'RACK_REGION_REQUEST_FAILED',
          `Region ${base} answered ${response.status}: ${text}`,
          {
            status: 502,
            details: { status: response.status },
          },
        );
      if (response.status === 204 || text === '') return null;
      return JSON.parse(text) as unknown;
    }
    throw new ExternalError(
      'RACK_REGION_UNREACHABLE',
      `No region answered: ${failures.join('; ')}`,
      {
        status: 503,
        details: { failures },
      },
    );
  }

  return {
    urls: ordered,
    postForm: (path, form) =>
      send((base) => ({
        url: `${base}/MAAS/${path}`,
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        },
      })),
    postJson: (path, body) =>
      send((base) => ({
        url: `${base}/MAAS/${path}`,
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/json', [RACK_SECRET_HEADER]: options.secret },
          body: JSON.stringify(body),
        },
      })),
  };
}
