import { randomBytes } from 'node:crypto';

export interface SignOptions {
  /** Override the OAuth timestamp (unix seconds), e.g. to test the freshness window. */
  readonly timestamp?: number;
  readonly nonce?: string;
}

/** An `Authorization` header as MAAS clients build it: OAuth 1.0 PLAINTEXT, signature `&<secret>`. */
export function oauthHeader(apiKey: string, options: SignOptions = {}): string {
  const [consumerKey = '', tokenKey = '', tokenSecret = ''] = apiKey.split(':');
  const params: [string, string][] = [
    ['oauth_version', '1.0'],
    ['oauth_signature_method', 'PLAINTEXT'],
    ['oauth_consumer_key', consumerKey],
    ['oauth_token', tokenKey],
    ['oauth_signature', `&${tokenSecret}`],
    ['oauth_nonce', options.nonce ?? randomBytes(8).toString('hex')],
    ['oauth_timestamp', String(options.timestamp ?? Math.floor(Date.now() / 1000))],
  ];
  return `OAuth realm="", ${params.map(([k, v]) => `${k}="${encodeURIComponent(v)}"`).join(', ')}`;
}

/** fetch() against a region API path (`boot-sources/`), signed with `apiKey` when given. */
export function apiFetch(
  baseUrl: string,
  path: string,
  init: RequestInit & { apiKey?: string; sign?: SignOptions } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.apiKey !== undefined) headers.set('Authorization', oauthHeader(init.apiKey, init.sign));
  const { apiKey: _apiKey, sign: _sign, ...rest } = init;
  return fetch(new URL(`api/2.0/${path}`, baseUrl), { ...rest, headers });
}

/** Form-encodes parameters; arrays become repeated keys, as MAAS clients send lists. */
export function formBody(
  params: Readonly<Record<string, string | readonly string[]>>,
): URLSearchParams {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of typeof value === 'string' ? [value] : value) body.append(key, item);
  }
  return body;
}
