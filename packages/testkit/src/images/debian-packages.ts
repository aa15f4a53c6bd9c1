import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@kiln/node-kit';
import type { Logger } from 'pino';
import { runCommand } from './run-command.js';

/** The packages whose bytes end up in the published images, with the versions apt would fetch. */
export interface PackageVersions {
  readonly kernelPackage: string;
  readonly kernelRelease: string;
  readonly versions: Readonly<Record<string, string>>;
}

async function candidate(pkg: string, logger?: Logger): Promise<string> {
  const out = await runCommand('apt-cache', ['policy', pkg], { captureStdout: true, logger });
  const version = /Candidate:\s*(\S+)/.exec(out)?.[1];
  if (version === undefined || version === '(none)') {
    throw new AppError(
      'IMAGE_PACKAGE_UNAVAILABLE',
      `Debian package ${pkg} has no installable version (is apt-get update done and deb.debian.org reachable?)`,
    );
  }
  return version;
}

/**
 * The kernel is named through `linux-image-amd64`'s dependency (linux-image-6.1.0-56-amd64), so
 * the cache key changes when Debian publishes a new ABI, and the extracted vmlinuz matches the
 * modules mmdebstrap installs from the same mirror.
 */
export async function resolvePackageVersions(
  extra: readonly string[],
  logger?: Logger,
): Promise<PackageVersions> {
  const depends = await runCommand('apt-cache', ['depends', 'linux-image-amd64'], {
    captureStdout: true,
    logger,
  });
  const kernelPackage = /Depends:\s*(linux-image-\d\S*-amd64)/.exec(depends)?.[1];
  if (kernelPackage === undefined) {
    throw new AppError(
      'IMAGE_PACKAGE_UNAVAILABLE',
      'linux-image-amd64 does not name a kernel package',
    );
  }
  const versions: Record<string, string> = {};
  for (const pkg of ['linux-image-amd64', kernelPackage, ...extra]) {
    versions[pkg] = await candidate(pkg, logger);
  }
  return { kernelPackage, kernelRelease: kernelPackage.slice('linux-image-'.length), versions };
}

/** `apt-get download` into `dir`; returns package name → .deb path. */
export async function downloadDebs(
  packages: readonly string[],
  dir: string,
  logger?: Logger,
): Promise<Map<string, string>> {
  await runCommand('apt-get', ['download', '-q', ...packages], { cwd: dir, logger });
  const files = await readdir(dir);
  const found = new Map<string, string>();
  for (const pkg of packages) {
    const deb = files.find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (deb === undefined) {
      throw new AppError('IMAGE_PACKAGE_UNAVAILABLE', `apt-get download left no .deb for ${pkg}`);
    }
    found.set(pkg, join(dir, deb));
  }
  return found;
}

/**
 * Extracts chosen members of a .deb without installing it (dpkg-deb --fsys-tarfile | tar).
 * Members are the builder's own constant globs, passed as separate arguments to the shell.
 */
export async function extractFromDeb(
  deb: string,
  dest: string,
  members: readonly string[],
  logger?: Logger,
): Promise<void> {
  await runCommand(
    'sh',
    [
      '-ec',
      'deb=$1; dest=$2; shift 2; dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dest" --wildcards "$@"',
      'sh',
      deb,
      dest,
      ...members,
    ],
    { logger },
  );
}
