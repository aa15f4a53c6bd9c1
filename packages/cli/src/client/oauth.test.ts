import { describe, expect, it } from 'vitest';
import { parseApiKey, formatApiKey } from './credentials.js';
import { buildAuthorizationHeader, freshStamp, oauthPercentEncode } from './oauth.js';

function parseHeader(header: string): Record<string, string> {
  expect(header.startsWith('OAuth ')).toBe(true);
  const fields: Record<string, string> = {};
  for (const match of header.slice(6).matchAll(/([a-z_]+)="([^"]*)"/g)) {
    fields[match[1]!] = decodeURIComponent(match[2]!);
  }
  return fields;
}

describe('parseApiKey', () => {
  it('splits consumer:token:secret', () => {
    expect(parseApiKey(' ck:tk:ts\n')).toEqual({
      consumerKey: 'ck',
      tokenKey: 'tk',
      tokenSecret: 'ts',
    });
    expect(formatApiKey(parseApiKey('a:b:c'))).toBe('a:b:c');
  });
  it.each(['', 'a:b', 'a:b:c:d', 'a::c'])('rejects %j', (key) => {
    expect(() => parseApiKey(key)).toThrow(/Malformed API key/);
  });
});

describe('buildAuthorizationHeader', () => {
  const credentials = parseApiKey('consumer:token:s3cr&t/+');

  it('signs with PLAINTEXT: empty consumer secret, & and the token secret, percent-encoded', () => {
    const header = buildAuthorizationHeader(credentials, { timestamp: 1700000000, nonce: 'abc' });
    expect(header).toContain('oauth_signature="%26s3cr%26t%2F%2B"');
    expect(parseHeader(header)).toEqual({
      realm: '',
      oauth_version: '1.0',
      oauth_signature_method: 'PLAINTEXT',
      oauth_consumer_key: 'consumer',
      oauth_token: 'token',
      oauth_signature: '&s3cr&t/+',
      oauth_nonce: 'abc',
      oauth_timestamp: '1700000000',
    });
  });

  it('uses a fresh nonce per stamp and applies the clock skew', () => {
    const a = freshStamp();
    const b = freshStamp();
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.nonce).toMatch(/^[0-9a-f]{32}$/);
    const skewed = freshStamp(-3600);
    expect(a.timestamp - skewed.timestamp).toBeGreaterThanOrEqual(3599);
    expect(a.timestamp - skewed.timestamp).toBeLessThanOrEqual(3601);
  });
});

describe('oauthPercentEncode', () => {
  it('encodes everything but unreserved characters (RFC 5849 §3.6)', () => {
    expect(oauthPercentEncode("a-b._~!*'() &")).toBe('a-b._~%21%2A%27%28%29%20%26');
  });
});
