import { rename } from 'node:fs/promises';
import type { Logger } from 'pino';
import { runShell } from './run-command.js';

// Paths left out of the ephemeral initrd: the deployed system's boot files and grub (the
// ephemeral environment never boots from disk) and module trees only real hardware needs.
const EPHEMERAL_EXCLUDES = [
  './boot',
  './usr/lib/grub',
  './usr/share/grub',
  './lib/modules/*/kernel/drivers/net/ethernet',
  './lib/modules/*/kernel/drivers/scsi/*/',
  './lib/modules/*/kernel/drivers/hid',
  './lib/modules/*/kernel/drivers/usb',
  './lib/modules/*/kernel/drivers/hwmon',
  './lib/modules/*/kernel/drivers/mfd',
  './lib/modules/*/kernel/drivers/platform',
  './lib/modules/*/kernel/fs/ocfs2',
  './lib/modules/*/kernel/fs/gfs2',
  './lib/modules/*/kernel/fs/nfs*',
  './lib/modules/*/kernel/fs/ceph',
  './lib/modules/*/kernel/fs/smb',
  './lib/modules/*/kernel/fs/xfs',
  './lib/modules/*/kernel/fs/btrfs',
];

function findExpression(): string {
  return EPHEMERAL_EXCLUDES.map((p) => `-path '${p}' -prune -o`).join(' ');
}

/**
 * The ephemeral initrd: two concatenated gzip'd newc archives (the kernel unpacks them in order,
 * so the overlay's files win): the Debian tree, then the overlay with /init and the ephemeral
 * cloud-init settings. gzip -1: decompression speed matters more under TCG than a few MB.
 */
export async function packEphemeralInitrd(
  rootfs: string,
  overlay: string,
  dest: string,
  logger?: Logger,
): Promise<void> {
  const partial = `${dest}.partial`;
  await runShell(
    `cd '${rootfs}' && find . ${findExpression()} -print | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -1 > '${partial}'
cd '${overlay}' && find . -print | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -1 >> '${partial}'
sync '${partial}'`,
    { logger },
  );
  await rename(partial, dest);
}

/** The deployable root (MAAS's `root-tgz`): the whole tree, numeric owners, xattrs kept. */
export async function packRootTgz(rootfs: string, dest: string, logger?: Logger): Promise<void> {
  const partial = `${dest}.partial`;
  await runShell(
    `tar -C '${rootfs}' --numeric-owner --xattrs --acls --sort=name -cf - . | gzip -1 > '${partial}'
sync '${partial}'`,
    { logger },
  );
  await rename(partial, dest);
}
