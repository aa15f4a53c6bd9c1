import { mkdir, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { runShell } from './run-command.js';

/**
 * Size is boot time: under TCG the kernel gunzips the initrd at a few MB/s, so everything the
 * ephemeral environment never uses is left out (the deployed system's boot files, perl, locales'
 * sources, hardware databases' sources, and kernel modules for hardware a VM does not have).
 */
const EXCLUDED = [
  './boot',
  './usr/lib/grub',
  './usr/share/grub',
  './usr/lib/x86_64-linux-gnu/perl',
  './usr/share/perl',
  './usr/share/i18n',
  './usr/share/zoneinfo',
  './usr/lib/x86_64-linux-gnu/gconv',
  './usr/lib/udev/hwdb.d',
  './var/cache/debconf',
];

/** Module folders the ephemeral environment needs: virtio, disks, file systems, LVM, networking. */
const KEPT_DRIVER_DIRS = new Set(['virtio', 'block', 'net', 'md', 'scsi', 'ata', 'nvme', 'char']);
const KEPT_NET_DRIVER_DIRS = new Set(['bonding', 'team']);

async function moduleExcludes(rootfs: string): Promise<string[]> {
  const modules = join(rootfs, 'usr/lib/modules');
  const out: string[] = [];
  for (const release of await readdir(modules)) {
    const drivers = join(modules, release, 'kernel/drivers');
    const rel = `./usr/lib/modules/${release}/kernel/drivers`;
    for (const entry of await readdir(drivers, { withFileTypes: true })) {
      if (entry.isDirectory() && !KEPT_DRIVER_DIRS.has(entry.name))
        out.push(`${rel}/${entry.name}`);
    }
    for (const entry of await readdir(join(drivers, 'net'), { withFileTypes: true })) {
      if (entry.isDirectory() && !KEPT_NET_DRIVER_DIRS.has(entry.name)) {
        out.push(`${rel}/net/${entry.name}`);
      }
    }
  }
  return out;
}

/** The files that make the tree an ephemeral environment when booted straight from the initrd. */
async function writeOverlay(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'etc/cloud/cloud.cfg.d'), { recursive: true });
  // No real root: systemd runs directly from the unpacked initramfs.
  await symlink('/sbin/init', join(dir, 'init'));
  // The datasource and the preseed come from the kernel command line (cc: and cloud-config-url);
  // networkd's DHCP brings the NIC up, so cloud-init must not rewrite the network.
  await writeFile(
    join(dir, 'etc/cloud/cloud.cfg.d/99_kiln_ephemeral.cfg'),
    'datasource_list: [ MAAS ]\nnetwork: {config: disabled}\nlocale: false\n',
  );
  await writeFile(join(dir, 'etc/kiln-ephemeral'), 'Kiln test ephemeral environment\n');
}

/**
 * The ephemeral initrd from the cached root-tgz: two concatenated gzip'd newc archives (the kernel
 * unpacks them in order, so the overlay's files win): the Debian tree, then the overlay with /init
 * and the ephemeral cloud-init settings. gzip -1: decompression speed is what TCG pays for.
 */
export async function buildEphemeralInitrd(
  rootTgz: string,
  workDir: string,
  dest: string,
  logger?: Logger,
): Promise<void> {
  const rootfs = join(workDir, 'ephemeral-root');
  const overlay = join(workDir, 'ephemeral-overlay');
  await rm(rootfs, { recursive: true, force: true });
  await mkdir(rootfs, { recursive: true });
  await runShell(`tar -C '${rootfs}' --numeric-owner -xzf '${rootTgz}'`, { logger });
  await writeOverlay(overlay);
  const prune = [...EXCLUDED, ...(await moduleExcludes(rootfs))]
    .map((p) => `-path '${p}' -prune -o`)
    .join(' ');
  const partial = `${dest}.partial`;
  await runShell(
    `cd '${rootfs}' && find . ${prune} -print | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -1 > '${partial}'
cd '${overlay}' && find . -print | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -1 >> '${partial}'
sync '${partial}'`,
    { logger },
  );
  await rename(partial, dest);
  await rm(rootfs, { recursive: true, force: true });
}
