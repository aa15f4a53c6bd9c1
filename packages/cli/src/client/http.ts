import { AppError } from '@kiln/node-kit';
import type { ApiCredentials } from './credentials.js';
import { buildAuthorizationHeader, freshStamp } from './oauth.js';

export interface ApiResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly contentType: string | null;
  readonly body: Buffer;
}

export interface ApiRequest {
  readonly method: string;
  readonly url: string;
  readonly body?: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

// A skew smaller than this cannot be why an OAuth timestamp was refused (MAAS accepts minutes
// of drift), so a retry would only repeat a genuine rejection.
const SKEW_RETRY_THRESHOLD_SECONDS = 60;

/** Seconds to add to the local clock to match the server's `Date`, or null if it has none. */
export function clockSkewSeconds(dateHeader: string | null, nowMs = Date.now()): number | null {
  if (dateHeader === null) return null;
  const serverMs = Date.parse(dateHeader);
  if (Number.isNaN(serverMs)) return null;
  return Math.round((serverMs - nowMs) / 1000);
}

/**
 * Sends (optionally OAuth-signed) requests to a MAAS-compatible API. Every attempt gets a
 * fresh nonce and timestamp. When the server refuses with 401/403 and its `Date` shows our
 * clock is off, the request is re-signed once with the corrected time - what cloud-init does
 * for machines whose RTC is wrong.
 */
export class ApiClient {
  private skewSeconds = 0;

  constructor(private readonly credentials: ApiCredentials | null) {}

  get clockSkew(): number {
    return this.skewSeconds;
  }

  async send(request: ApiRequest): Promise<ApiResponse> {
    const first = await this.attempt(request);
    if (this.credentials === null || (first.status !== 401 && first.status !== 403)) return first;
    const skew = clockSkewSeconds(first.headers.get('date'));
    if (skew === null || Math.abs(skew - this.skewSeconds) < SKEW_RETRY_THRESHOLD_SECONDS) {
      return first;
    }
    this.skewSeconds = skew;
    return this.attempt(request);
  }

  private async attempt(request: ApiRequest): Promise<ApiResponse> {
    const headers: Record<string, string> = { Accept: '*/*', ...request.headers };
    if (this.credentials !== null) {
      headers.Authorization = buildAuthorizationHeader(
        this.credentials,
        freshStamp(this.skewSeconds),
      );
    }
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: request.body }),
      });
    } catch (cause) {
      throw new AppError(
        'CLI_CONNECTION_FAILED',
        `Cannot reach ${request.url}: ${describeCause(cause)}`,
        {
          cause,
        },
      );
    }
    const body = Buffer.from(await response.arrayBuffer());
    return {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      contentType: response.headers.get('content-type'),
      body,
    };
  }
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause;
  if (inner instanceof Error) {
    const code = (inner as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${inner.message})` : inner.message;
  }
  return cause.message;
}

export function isSuccess(response: ApiResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

export function parseJsonBody(response: ApiResponse): unknown {
  try {
    return JSON.parse(response.body.toString('utf8')) as unknown;
  } catch (cause) {
    throw new AppError(
      'CLI_UNEXPECTED_RESPONSE',
      'The server answered with a body that is not JSON.',
      {
        cause,
      },
    );
  }
}
