import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import { extractFromDeb } from './debian-packages.js';
import { runShell } from './run-command.js';

export const BOOTLOADER_PACKAGES = ['ipxe', 'pxelinux', 'syslinux-common'] as const;

/** Which files of which Debian package go into which bootloader archive. */
const ARCHIVES = {
  syslinux: [
    { pkg: 'pxelinux', member: './usr/lib/PXELINUX/lpxelinux.0' },
    { pkg: 'pxelinux', member: './usr/lib/PXELINUX/pxelinux.0' },
    { pkg: 'syslinux-common', member: './usr/lib/syslinux/modules/bios/ldlinux.c32' },
    { pkg: 'syslinux-common', member: './usr/lib/syslinux/modules/bios/chain.c32' },
    { pkg: 'syslinux-common', member: './usr/lib/syslinux/modules/bios/poweroff.c32' },
    { pkg: 'syslinux-common', member: './usr/lib/syslinux/modules/bios/libcom32.c32' },
    { pkg: 'syslinux-common', member: './usr/lib/syslinux/modules/bios/libutil.c32' },
  ],
  ipxe: [
    { pkg: 'ipxe', member: './boot/ipxe.efi' },
    { pkg: 'ipxe', member: './usr/lib/ipxe/undionly.kpxe' },
  ],
} as const;

export type BootloaderArchive = keyof typeof ARCHIVES;

/**
 * MAAS ships bootloaders as `archive.tar.xz` items whose members land flat in the rack's
 * bootloader folder; these are built the same way from Debian's ipxe, pxelinux and
 * syslinux-common (flat, root-owned, sorted, so equal input gives equal bytes).
 */
export async function packBootloaders(
  debs: ReadonlyMap<string, string>,
  workDir: string,
  outDir: string,
  logger?: Logger,
): Promise<Record<BootloaderArchive, string>> {
  const result = {} as Record<BootloaderArchive, string>;
  for (const [name, files] of Object.entries(ARCHIVES) as [
    BootloaderArchive,
    (typeof ARCHIVES)[BootloaderArchive],
  ][]) {
    const extract = join(workDir, `bootloader-${name}`);
    const flat = join(workDir, `bootloader-${name}-flat`);
    await rm(flat, { recursive: true, force: true });
    await mkdir(extract, { recursive: true });
    await mkdir(flat, { recursive: true });
    for (const { pkg, member } of files) {
      const deb = debs.get(pkg);
      if (deb === undefined) throw new Error(`bootloader package ${pkg} was not downloaded`);
      await extractFromDeb(deb, extract, [member], logger);
      await copyFile(join(extract, member), join(flat, basename(member)));
    }
    const dest = join(outDir, `${name}.tar.xz`);
    await runShell(
      `tar -C '${flat}' --owner=0 --group=0 --numeric-owner --sort=name --mtime=@0 -cf - . | xz -T1 -6 > '${dest}.partial'`,
      { logger },
    );
    await rename(`${dest}.partial`, dest);
    result[name] = dest;
  }
  return result;
}
