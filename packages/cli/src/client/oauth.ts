import { randomBytes } from 'node:crypto';
import type { ApiCredentials } from './credentials.js';

/** RFC 5849 §3.6 percent-encoding: only unreserved characters stay as they are. */
export function oauthPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export interface OAuthStamp {
  /** Unix seconds, already corrected for any known clock skew. */
  readonly timestamp: number;
  readonly nonce: string;
}

export function freshStamp(skewSeconds = 0): OAuthStamp {
  return {
    timestamp: Math.floor(Date.now() / 1000) + skewSeconds,
    nonce: randomBytes(16).toString('hex'),
  };
}

/**
 * The `Authorization` header MAAS expects: OAuth 1.0 with the PLAINTEXT method, whose
 * signature is `<consumer secret>&<token secret>`; MAAS consumer secrets are empty.
 */
export function buildAuthorizationHeader(credentials: ApiCredentials, stamp: OAuthStamp): string {
  const fields: [string, string][] = [
    ['oauth_version', '1.0'],
    ['oauth_signature_method', 'PLAINTEXT'],
    ['oauth_consumer_key', credentials.consumerKey],
    ['oauth_token', credentials.tokenKey],
    ['oauth_signature', `&${credentials.tokenSecret}`],
    ['oauth_nonce', stamp.nonce],
    ['oauth_timestamp', String(stamp.timestamp)],
  ];
  const rendered = fields.map(([name, value]) => `${name}="${oauthPercentEncode(value)}"`);
  return `OAuth realm="", ${rendered.join(', ')}`;
}
