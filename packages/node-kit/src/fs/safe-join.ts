import { isAbsolute, resolve, sep } from 'node:path';
import { AppError } from '../errors/index.js';

/**
 * Why a relative path from outside (a stream item, an upload, a TFTP request) is refused, or
 * undefined when it is acceptable. Checked on the raw string, before any normalisation, so that
 * `a/../../b` is refused even though it might resolve inside the root.
 */
export function unsafePathReason(relPath: string): string | undefined {
  if (relPath.length === 0) return 'is empty';
  if (relPath.includes('\0')) return 'contains a NUL byte';
  if (relPath.includes('\\')) return 'contains a backslash';
  if (isAbsolute(relPath) || /^[A-Za-z]:/.test(relPath)) return 'is absolute';
  const segments = relPath.split('/');
  if (segments.includes('..')) return "contains '..'";
  return undefined;
}

/**
 * Joins an untrusted relative path onto a root and returns the absolute result, or throws
 * FS_PATH_UNSAFE (status 400) when the path is absolute, contains `..`, or would escape the root.
 */
export function safeJoin(root: string, relPath: string): string {
  const reason = unsafePathReason(relPath);
  if (reason !== undefined) {
    throw new AppError('FS_PATH_UNSAFE', `Path ${JSON.stringify(relPath)} ${reason}`, {
      details: { path: relPath },
    });
  }
  const base = resolve(root);
  const joined = resolve(base, relPath);
  if (joined !== base && !joined.startsWith(base.endsWith(sep) ? base : base + sep)) {
    throw new AppError('FS_PATH_UNSAFE', `Path ${JSON.stringify(relPath)} escapes its root`, {
      details: { path: relPath },
    });
  }
  return joined;
}
