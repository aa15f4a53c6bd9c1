import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inputFault } from '../stream-error.js';

export interface MirrorLocation {
  /** Mirror root, always ending in `/`; item and document paths are relative to it. */
  readonly root: URL;
  /** Index document path relative to the root, e.g. `streams/v1/index.sjson`. */
  readonly indexPath: string;
  /** True when the index is a `.json` document: MAAS then reads the whole mirror unsigned. */
  readonly unsignedByUrl: boolean;
}

const INDEX_IN_URL = /^(.*?)(streams\/v1\/[^?#]*\.(?:sjson|json))$/;

/** Accepts http(s) and file URLs, and plain local paths (absolute or relative to the cwd). */
export function toUrl(location: string | URL): URL {
  if (location instanceof URL) return location;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    const url = new URL(location);
    if (!['http:', 'https:', 'file:'].includes(url.protocol)) {
      throw inputFault(
        'STREAM_URL_INVALID',
        `Unsupported mirror URL scheme ${url.protocol} in ${location}`,
      );
    }
    return url;
  }
  const url = pathToFileURL(resolvePath(location));
  // pathToFileURL drops a trailing slash; keep it so a directory stays a directory.
  if (location.endsWith('/') && !url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/**
 * Splits a mirror URL into root and index: a URL whose path ends in `streams/v1/<name>.json` or
 * `.sjson` names the index itself; anything else is a root whose index is `streams/v1/index.sjson`.
 */
export function resolveMirrorUrl(location: string | URL): MirrorLocation {
  const url = toUrl(location);
  if (url.search !== '' || url.hash !== '') {
    throw inputFault(
      'STREAM_URL_INVALID',
      `Mirror URL ${url.href} must not carry a query or fragment`,
    );
  }
  const match = INDEX_IN_URL.exec(url.pathname);
  if (match?.[1] !== undefined && match[2] !== undefined) {
    const root = new URL(url.href);
    root.pathname = match[1].endsWith('/') ? match[1] : `${match[1]}/`;
    return {
      root,
      indexPath: decodeURIComponent(match[2]),
      unsignedByUrl: match[2].endsWith('.json'),
    };
  }
  const root = new URL(url.href);
  if (!root.pathname.endsWith('/')) root.pathname += '/';
  return { root, indexPath: 'streams/v1/index.sjson', unsignedByUrl: false };
}
