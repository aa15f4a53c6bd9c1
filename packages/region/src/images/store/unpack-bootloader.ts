import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { AppError, unsafePathReason } from '@kiln/node-kit';

const run = promisify(execFile);

/** Bootloader types and arches become directory names: keep them to plain words. */
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Unpacks a verified bootloader archive (`archive.tar.xz`) to
 * `<bootloadersDir>/<type>/<arch>/`: lists the members first and refuses any that is absolute,
 * climbs with `..`, or is a link (a link could point outside), extracts into a temporary
 * directory beside the target, then swaps it in with a rename so readers never see half a tree.
 */
export async function unpackBootloader(
  archive: string,
  bootloadersDir: string,
  bootloaderType: string,
  arch: string,
): Promise<string> {
  if (!SAFE_SEGMENT.test(bootloaderType) || !SAFE_SEGMENT.test(arch)) {
    throw new AppError(
      'IMAGE_BOOTLOADER_UNSAFE',
      `Bootloader type ${bootloaderType} / arch ${arch} is not a safe directory name`,
    );
  }
  const listing = await run('tar', ['-tvJf', archive], { maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: unknown) => {
      throw new AppError('IMAGE_BOOTLOADER_UNPACK_FAILED', `Cannot read ${archive} as tar.xz`, {
        cause: error,
      });
    },
  );
  const names = (await run('tar', ['-tJf', archive], { maxBuffer: 16 * 1024 * 1024 })).stdout
    .split('\n')
    .filter((n) => n !== '');
  const links = listing.stdout.split('\n').filter((l) => l.startsWith('l') || l.startsWith('h'));
  for (const name of names) {
    const relative = name.replace(/^(\.\/)+/, '').replace(/\/$/, '');
    const reason = relative === '' ? undefined : unsafePathReason(relative);
    if (reason !== undefined || links.length > 0) {
      throw new AppError(
        'IMAGE_BOOTLOADER_UNSAFE',
        `Bootloader archive ${archive} has a member that could escape its directory: ${links[0] ?? name}`,
      );
    }
  }
  const target = join(bootloadersDir, bootloaderType, arch);
  await mkdir(dirname(target), { recursive: true });
  const temp = await mkdtemp(join(dirname(target), `.${arch}.unpack-`));
  try {
    await run('tar', ['-xJf', archive, '-C', temp, '--no-same-owner', '--no-same-permissions']);
    const old = `${temp}.old`;
    await rename(target, old).catch(() => undefined);
    await rename(temp, target);
    await rm(old, { recursive: true, force: true });
    return target;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw new AppError('IMAGE_BOOTLOADER_UNPACK_FAILED', `Unpacking ${archive} failed`, {
      cause: error,
    });
  }
}
