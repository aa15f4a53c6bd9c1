import { describe, expect, it } from 'vitest';
import { isNoProxy, proxyForUrl } from './proxy.js';

describe('proxyForUrl', () => {
  it('picks the proxy by scheme, upper or lower case', () => {
    const env = { http_proxy: 'proxy:3128', HTTPS_PROXY: 'http://secure:8080' };
    expect(proxyForUrl(new URL('http://images.maas.io/x'), env)?.href).toBe('http://proxy:3128/');
    expect(proxyForUrl(new URL('https://images.maas.io/x'), env)?.href).toBe('http://secure:8080/');
    expect(proxyForUrl(new URL('file:///x'), env)).toBeUndefined();
  });

  it.each([
    ['images.maas.io', 'http://images.maas.io/', true],
    ['.maas.io', 'http://images.maas.io/', true],
    ['maas.io', 'http://images.maas.io/', true],
    ['maas.io', 'http://notmaas.io/', false],
    ['*', 'http://anything/', true],
    ['10.0.0.1:8080', 'http://10.0.0.1:8080/', true],
    ['10.0.0.1:8080', 'http://10.0.0.1/', false],
    ['', 'http://a/', false],
  ])('no_proxy=%j for %s → %s', (noProxy, url, expected) => {
    expect(isNoProxy(new URL(url), noProxy)).toBe(expected);
  });
});
