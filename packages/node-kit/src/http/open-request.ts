import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { ExternalError } from '../errors/index.js';
import { proxyForUrl, type ProxyEnv } from './proxy.js';

export interface OpenRequestOptions {
  readonly method?: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly signal?: AbortSignal | undefined;
  /** Socket idle timeout; a stalled transfer fails (and is retried by callers) after this long. */
  readonly idleTimeoutMs?: number;
  readonly maxRedirects?: number;
  /** Environment to read proxy settings from (default process.env). */
  readonly env?: ProxyEnv;
  /** Extra trusted CA certificates (PEM) for https, e.g. a site's private CA. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
}

export interface OpenResponse {
  readonly response: IncomingMessage;
  /** The URL that answered, after redirects. */
  readonly url: URL;
}

/** SNI must not carry an IP address (RFC 6066); the certificate is still checked against `host`. */
function sni(hostname: string): { servername?: string } {
  return isIP(hostname) === 0 ? { servername: hostname } : {};
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function proxyAuth(proxy: URL): OutgoingHttpHeaders {
  if (proxy.username === '') return {};
  const creds = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(creds).toString('base64')}` };
}

/** Opens a CONNECT tunnel through an HTTP proxy so that https stays end-to-end encrypted. */
function tunnel(proxy: URL, target: URL, signal: AbortSignal | undefined): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const port = target.port === '' ? '443' : target.port;
    const req = httpRequest({
      host: proxy.hostname,
      port: proxy.port === '' ? 80 : Number(proxy.port),
      method: 'CONNECT',
      path: `${target.hostname}:${port}`,
      headers: { host: `${target.hostname}:${port}`, ...proxyAuth(proxy) },
      ...(signal === undefined ? {} : { signal }),
    });
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(
          new ExternalError(
            'HTTP_PROXY_FAILED',
            `Proxy ${proxy.host} refused CONNECT: ${res.statusCode}`,
          ),
        );
      }
    });
    req.once('error', reject);
    req.end();
  });
}

async function openOnce(url: URL, options: OpenRequestOptions): Promise<IncomingMessage> {
  const proxy = proxyForUrl(url, options.env ?? process.env);
  const headers: OutgoingHttpHeaders = { 'user-agent': 'kiln', ...options.headers };
  const base: RequestOptions = {
    method: options.method ?? 'GET',
    headers,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  let req;
  if (url.protocol === 'https:') {
    const socket = proxy === undefined ? undefined : await tunnel(proxy, url, options.signal);
    const ca =
      options.ca === undefined ? {} : { ca: options.ca as string | Buffer | (string | Buffer)[] };
    req = httpsRequest(url, {
      ...base,
      ...ca,
      ...(socket === undefined
        ? {}
        : {
            createConnection: () =>
              tlsConnect({ socket, host: url.hostname, ...sni(url.hostname), ...ca }),
          }),
    });
  } else if (url.protocol === 'http:') {
    req =
      proxy === undefined
        ? httpRequest(url, base)
        : httpRequest({
            ...base,
            host: proxy.hostname,
            port: proxy.port === '' ? 80 : Number(proxy.port),
            path: url.href,
            headers: { ...headers, host: url.host, ...proxyAuth(proxy) },
          });
  } else {
    throw new ExternalError(
      'HTTP_URL_UNSUPPORTED',
      `Unsupported URL scheme ${url.protocol} in ${url.href}`,
    );
  }
  return new Promise((resolve, reject) => {
    req.setTimeout(options.idleTimeoutMs ?? 60_000, () => {
      req.destroy(
        new ExternalError(
          'HTTP_TIMEOUT',
          `No data from ${url.host} for ${options.idleTimeoutMs ?? 60_000} ms`,
        ),
      );
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end();
  });
}

/**
 * Sends one request and follows redirects. The caller owns the returned response and must consume
 * or destroy it.
 */
export async function openRequest(
  input: string | URL,
  options: OpenRequestOptions = {},
): Promise<OpenResponse> {
  let url = new URL(input);
  const maxRedirects = options.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    const response = await openOnce(url, options);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0) || location === undefined)
      return { response, url };
    response.resume();
    if (hop >= maxRedirects) {
      throw new ExternalError(
        'HTTP_TOO_MANY_REDIRECTS',
        `More than ${maxRedirects} redirects from ${String(input)}`,
      );
    }
    url = new URL(location, url);
  }
}
