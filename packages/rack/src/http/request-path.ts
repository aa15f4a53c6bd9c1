import { AppError } from '@kiln/node-kit';

/**
 * Splits a request path into decoded segments that cannot leave the namespace: `..`, `.`,
 * encoded slashes or backslashes inside a segment, NUL and malformed escapes are refused.
 * `backslashes` turns `\` into `/` first (TFTP clients, notably Windows PXE, send them).
 */
export function parseRequestPath(raw: string, options: { backslashes?: boolean } = {}): string[] {
  let path = raw.split('?', 1)[0] ?? '';
  if (options.backslashes === true) path = path.replaceAll('\\', '/');
  const segments: string[] = [];
  for (const encoded of path.split('/')) {
    if (encoded === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch (error) {
      throw invalid(raw, 'malformed percent-encoding', error);
    }
    if (segment === '.' || segment === '..')
      throw invalid(raw, 'parent or current directory segment');
    if (/[/\\\0]/.test(segment)) throw invalid(raw, 'encoded separator or NUL byte');
    segments.push(segment);
  }
  return segments;
}

function invalid(raw: string, reason: string, cause?: unknown): AppError {
  return new AppError('BOOT_PATH_INVALID', `Refused path "${raw.slice(0, 200)}": ${reason}`, {
    details: { reason },
    cause,
  });
}
