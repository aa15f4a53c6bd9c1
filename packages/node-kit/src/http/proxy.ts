/**
 * Proxy selection from the conventional environment variables (curl's rules, lower case first):
 * `http_proxy` for http URLs, `https_proxy` for https URLs, and `no_proxy` as a comma list of
 * host names, domain suffixes (`.example.com` or `example.com`), host:port pairs, or `*`.
 */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

function envValue(env: ProxyEnv, name: string): string | undefined {
  const value = env[name] ?? env[name.toUpperCase()];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

export function isNoProxy(url: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port === '' ? defaultPort(url.protocol) : url.port;
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const [entryHost = '', entryPort] = entry.split(/:(?=\d+$)/);
    if (entryPort !== undefined && entryPort !== port) continue;
    const bare = entryHost.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

/** The proxy URL to use for `url`, or undefined to connect directly. */
export function proxyForUrl(url: URL, env: ProxyEnv = process.env): URL | undefined {
  if (isNoProxy(url, envValue(env, 'no_proxy'))) return undefined;
  const name =
    url.protocol === 'https:' ? 'https_proxy' : url.protocol === 'http:' ? 'http_proxy' : undefined;
  if (name === undefined) return undefined;
  const value = envValue(env, name);
  if (value === undefined) return undefined;
  return new URL(value.includes('://') ? value : `http://${value}`);
}
