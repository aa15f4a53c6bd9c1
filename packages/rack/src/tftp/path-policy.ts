import { TftpErrorCode } from './constants.js';

/**
 * Maps a requested TFTP filename onto Kiln's boot namespace, the same one HTTP :5248 serves.
 * Firmware sends DOS-style backslashes and leading slashes; both are accepted. Anything that
 * could step outside the namespace is refused here, before the resolver ever sees it.
 */

export type PathDecision =
  | { readonly ok: true; readonly path: string; readonly probe: boolean }
  | { readonly ok: false; readonly code: TftpErrorCode; readonly message: string };

/** Longest normalised name accepted; boot file names are short, and this bounds work per request. */
export const MAX_PATH_LENGTH = 1024;

// C0 controls and DEL never appear in boot file names; NUL would truncate names in C consumers.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const DRIVE = /^[A-Za-z]:$/;

function refuse(message: string): PathDecision {
  return { ok: false, code: TftpErrorCode.ACCESS_VIOLATION, message };
}

export function normaliseTftpPath(requested: string): PathDecision {
  if (CONTROL.test(requested)) return refuse('Control characters are not allowed in file names');
  const segments = requested.replaceAll('\\', '/').split('/');
  const kept: string[] = [];
  for (const [index, segment] of segments.entries()) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') return refuse('Parent directory references are not allowed');
    // "C:\boot\pxelinux.0" is absolute on the client's side even after slashes are mapped.
    if (index === 0 && DRIVE.test(segment)) return refuse('Absolute paths are not allowed');
    kept.push(segment);
  }
  const path = kept.join('/');
  if (path === '')
    return { ok: false, code: TftpErrorCode.FILE_NOT_FOUND, message: 'No file name given' };
  if (path.length > MAX_PATH_LENGTH) {
    return { ok: false, code: TftpErrorCode.FILE_NOT_FOUND, message: 'File name too long' };
  }
  // GRUB probes "<prefix>/<platform>/*.lst" for module lists; a missing one is answered empty.
  return { ok: true, path, probe: path.toLowerCase().endsWith('.lst') };
}
