import { unsafePathReason } from '@kiln/node-kit';
import { mirrorFault } from '../stream-error.js';

/**
 * Refuses a path a mirror document gave unless it is a plain relative path under the root: a
 * hostile index must never make Kiln read or write outside the mirror or image store.
 */
export function checkItemPath(path: string, where: string): string {
  const reason = unsafePathReason(path);
  if (reason !== undefined) {
    throw mirrorFault('STREAM_PATH_UNSAFE', `${where}: path ${JSON.stringify(path)} ${reason}`, {
      path,
      where,
    });
  }
  return path;
}

/** URL of a root-relative path, with each segment percent-encoded (content ids contain ':'). */
export function urlForPath(root: URL, path: string): URL {
  const encoded = path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%3A/gi, ':'))
    .join('/');
  // './' keeps a first segment containing ':' from being read as a URL scheme.
  return new URL(`./${encoded}`, root);
}
