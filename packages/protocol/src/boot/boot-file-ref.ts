import type { BootFile } from './boot-answer.js';
import { rackImageUrl } from './boot-urls.js';

/**
 * A boot file as the rack serves it, in MAAS's path shape
 * `<sha256>/<os>/<arch>/<subarch>/<release>/<label>/<name>` (spec §5.3: only the sha256 segment
 * matters to the rack; the rest names the file for people and loaders).
 */
export interface BootFileIdentity {
  readonly sha256: string;
  readonly name: string;
  readonly osystem: string;
  readonly arch: string;
  readonly subarch: string;
  readonly release: string;
  readonly label: string;
}

export function bootFileRef(
  rackAddress: string,
  file: BootFileIdentity,
  httpPort?: number,
): BootFile {
  const segments = [file.osystem, file.arch, file.subarch, file.release, file.label, file.name];
  const path = [file.sha256, ...segments.map((segment) => encodeURIComponent(segment))].join('/');
  return {
    sha256: file.sha256,
    name: file.name,
    path,
    url: rackImageUrl(rackAddress, path, httpPort),
  };
}
