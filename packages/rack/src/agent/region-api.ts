import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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
  /** Aborts requests in flight and refuses new ones (the agent is stopping). */
  close(): void;
}

interface Attempt {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
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
    );
  let preferred = bases[0] ?? '';
  const timeoutMs = options.timeoutMs ?? 5_000;
  const ordered = () => [preferred, ...bases.filter((b) => b !== preferred)];
  // Closing destroys every request still in flight, so a stopping rack leaves no half-finished
  // calls on a region that is stopping too. A set rather than one AbortSignal shared by every
  // request: each request on a shared signal adds an abort listener to it, and a boot storm (a
  // request per unknown MAC) passed Node's 10-listener warning.
  const state = { closed: false };
  const inFlight = new Set<ClientRequest>();
  // Requests beyond this wait in the agent, where the per-request timeout has not started yet;
  // sent, they wait in the region, where it has. 16 keeps a PostgreSQL region's 10-connection
  // pool busy (each boot answer holds one connection at a time, between its HTTP parsing and
  // JSON work) without queueing a whole storm against the 5 s timeout; SQLite answers one
  // statement at a time whatever the number (bench/boot-config-load.ts measures both).
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 16 });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 16 });

  // A function, not the field: the compiler cannot see close() flip it across an await.
  const isClosed = (): boolean => state.closed;
  const stopping = () => new AppError('RACK_AGENT_STOPPING', 'The rack agent is stopping.');

  async function send(make: (base: string) => Attempt): Promise<unknown> {
    const failures: string[] = [];
    for (const base of ordered()) {
      if (state.closed) throw stopping();
      const attempt = make(base);
      let response: { status: number; text: string };
      try {
        response = await exchange(attempt, timeoutMs);
      } catch (error) {
        // Ended by close() meanwhile: the agent is stopping, not the region unreachable.
        if (isClosed()) throw stopping();
        failures.push(`${base}: ${(error as Error).message}`);
        continue;
      }
      const { status, text } = response;
      if (status >= 500) {
        failures.push(`${base}: HTTP ${String(status)}`);
        continue;
      }
      if (preferred !== base) options.logger.info({ region: base }, 'using region');
      preferred = base;
      if (status === 401)
        throw new AppError(
          'RACK_SECRET_REJECTED',
          `Region ${base} rejected the rack secret: ${text}`,
        );
      if (status >= 400)
        throw new AppError(
          'RACK_REGION_REQUEST_FAILED',
          `Region ${base} answered ${String(status)}: ${text}`,
          { details: { status } },
        );
      if (status === 204 || text === '') return null;
      return JSON.parse(text) as unknown;
    }
    throw new ExternalError(
      'RACK_REGION_UNREACHABLE',
      `No region answered: ${failures.join('; ')}`,
      {
        details: { failures },
      },
    );
  }

  /** One request on the agent's own keep-alive pool (destroyed on close, so no socket outlives the agent). */
  function exchange(attempt: Attempt, timeout: number): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(attempt.url);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, {
        method: 'POST',
        headers: { ...attempt.headers, 'content-length': Buffer.byteLength(attempt.body) },
        agent: url.protocol === 'https:' ? httpsAgent : httpAgent,
        timeout,
      });
      inFlight.add(req);
      req.once('close', () => inFlight.delete(req));
      req.on('timeout', () => req.destroy(new Error(`no answer within ${String(timeout)} ms`)));
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(attempt.body);
    });
  }

  return {
    urls: ordered,
    close: () => {
      state.closed = true;
      for (const req of inFlight) req.destroy(new Error('the rack agent is stopping'));
      inFlight.clear();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
    postForm: (path, form) =>
      send((base) => ({
        url: `${base}/MAAS/${path}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      })),
    postJson: (path, body) =>
      send((base) => ({
        url: `${base}/MAAS/${path}`,
        headers: { 'content-type': 'application/json', [RACK_SECRET_HEADER]: options.secret },
        body: JSON.stringify(body),
      })),
  };
}
