import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { POWER_ERROR_CODES, powerAborted, powerFailure } from './power-errors.js';

export interface PowerHttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** False accepts self-signed BMC certificates, which is what most BMCs ship with. */
  readonly verifyTls: boolean;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

export interface PowerHttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** BMC and webhook answers are small; anything bigger is not a power API. */
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;

function once(req: PowerHttpRequest): Promise<PowerHttpResponse> {
  const url = new URL(req.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
    const clientRequest = send(
      url,
      {
        method: req.method,
        headers,
        signal: req.signal,
        timeout: req.timeoutMs,
        rejectUnauthorized: req.verifyTls,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            response.destroy();
            reject(
              powerFailure(POWER_ERROR_CODES.ACTION_FAILED, `${url.host} sent an oversized reply.`),
            );
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', reject);
      },
    );
    let timedOut = false;
    clientRequest.on('timeout', () => {
      timedOut = true;
      clientRequest.destroy();
    });
    clientRequest.on('error', (error) => {
      if (req.signal.aborted) reject(powerAborted(error));
      else if (timedOut) {
        const message = `${url.host} did not answer within ${req.timeoutMs} ms.`;
        reject(powerFailure(POWER_ERROR_CODES.ACTION_TIMEOUT, message, { cause: error }));
      } else {
        const message = `Cannot reach ${url.host}: ${error.message}`;
        reject(powerFailure(POWER_ERROR_CODES.ACTION_FAILED, message, { cause: error }));
      }
    });
    clientRequest.end(req.body);
  });
}

/** One HTTP exchange for a power driver, following redirects (webhook targets often redirect). */
export async function powerHttp(req: PowerHttpRequest): Promise<PowerHttpResponse> {
  let current = req;
  for (let hop = 0; ; hop++) {
    const response = await once(current);
    const location = response.headers.location;
    if (response.status < 300 || response.status >= 400 || location === undefined) return response;
    if (hop >= MAX_REDIRECTS) {
      throw powerFailure(POWER_ERROR_CODES.ACTION_FAILED, `Too many redirects from ${req.url}.`);
    }
    // 303 (and, by browser convention, 301/302 after POST) re-issue as GET without a body.
    const keepMethod = response.status === 307 || response.status === 308;
    const next: PowerHttpRequest = {
      ...current,
      url: new URL(location, current.url).toString(),
      method: keepMethod ? current.method : 'GET',
    };
    current = keepMethod || current.body === undefined ? next : withoutBody(next);
  }
}

function withoutBody(req: PowerHttpRequest): PowerHttpRequest {
  const { body: _body, ...rest } = req;
  return rest;
}
