import { badRequest } from '../../domain-errors.js';

/** Ubuntu releases MAAS users name by version or codename (`ubuntu/22.04` = `ubuntu/jammy`). */
const UBUNTU_VERSIONS: Readonly<Record<string, string>> = {
  '16.04': 'xenial',
  '18.04': 'bionic',
  '20.04': 'focal',
  '22.04': 'jammy',
  '24.04': 'noble',
  '24.10': 'oracular',
  '25.04': 'plucky',
  '25.10': 'questing',
};

export interface OsRelease {
  readonly osystem: string;
  readonly release: string;
}

const PART = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * `distro_series` in every form MAAS accepts: `ubuntu/jammy`, `jammy`, `ubuntu/22.04`, `22.04`,
 * or `<os>/<release>` for other systems. A bare name belongs to `defaultOsystem`.
 */
export function parseDistroSeries(text: string, defaultOsystem: string): OsRelease {
  const value = text.trim().toLowerCase();
  const [first = '', second, extra] = value.split('/');
  const osystem = second === undefined ? defaultOsystem : first;
  const rawRelease = second ?? first;
  if (extra !== undefined || !PART.test(osystem) || !PART.test(rawRelease)) {
    throw badRequest(
      'MACHINE_DISTRO_SERIES_INVALID',
      `'${text}' is not a valid distro_series: use <release>, <os>/<release> or a version such as ubuntu/22.04.`,
    );
  }
  const release = osystem === 'ubuntu' ? (UBUNTU_VERSIONS[rawRelease] ?? rawRelease) : rawRelease;
  return { osystem, release };
}

/** `ubuntu/24.04` for Ubuntu codenames Kiln knows (MAAS's resource alias), else undefined. */
export function ubuntuVersionOf(release: string): string | undefined {
  return Object.entries(UBUNTU_VERSIONS).find(([, name]) => name === release)?.[0];
}
