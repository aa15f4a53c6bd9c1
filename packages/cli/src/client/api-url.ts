import { AppError } from '@kiln/node-kit';

/**
 * Accepts `http://host:5240/MAAS`, `.../MAAS/` or `.../MAAS/api/2.0` and returns the API root
 * with a trailing slash, like `maas login` does (it appends the API version when missing).
 */
export function normaliseApiUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new AppError('CLI_BAD_URL', `'${input}' is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('CLI_BAD_URL', `'${input}' must be an http:// or https:// URL.`);
  }
  url.search = '';
  url.hash = '';
  let path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  if (!/\/api\/[0-9.]+\/$/.test(path)) path = `${path}api/2.0/`;
  url.pathname = path;
  return url.toString();
}

/**
 * The URI template a handler's actions are sent to: its absolute `uri`, else its `path` on the
 * profile's host. Kept as a string because URL parsing would escape the `{param}` braces.
 */
export function handlerUriTemplate(
  apiUrl: string,
  handler: { uri?: string | undefined; path: string },
): string {
  return handler.uri ?? `${new URL(apiUrl).origin}${handler.path}`;
}
