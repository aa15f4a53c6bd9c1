import { describe, expect, it } from 'vitest';
import { parseOAuthHeader } from './oauth-header.js';

describe('parseOAuthHeader', () => {
  it('reads quoted, percent-encoded parameters in any order', () => {
    const params = parseOAuthHeader(
      'OAuth realm="MAAS API", oauth_signature="%26abc%2Bdef", oauth_nonce="n1",oauth_consumer_key="ck"',
    );
    expect(params?.get('oauth_signature')).toBe('&abc+def');
    expect(params?.get('realm')).toBe('MAAS API');
    expect(params?.get('oauth_nonce')).toBe('n1');
    expect(params?.get('oauth_consumer_key')).toBe('ck');
  });

  it('accepts unquoted values and an empty realm', () => {
    const params = parseOAuthHeader('OAuth realm="", oauth_token=tk, oauth_timestamp=123');
    expect(params?.get('realm')).toBe('');
    expect(params?.get('oauth_token')).toBe('tk');
    expect(params?.get('oauth_timestamp')).toBe('123');
  });

  it('keeps malformed percent-encoding as given', () => {
    expect(parseOAuthHeader('OAuth oauth_signature="%E0%A4%A"')?.get('oauth_signature')).toBe(
      '%E0%A4%A',
    );
  });

  it('returns null for other schemes', () => {
    expect(parseOAuthHeader('Bearer abc')).toBeNull();
    expect(parseOAuthHeader('Basic dXNlcjpwYXNz')).toBeNull();
  });
});
