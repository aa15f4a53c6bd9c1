import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@kiln/node-kit';
import type { Logger } from 'pino';
import { runCommand } from './run-command.js';

/**
 * Everything the ephemeral environment (Kiln's enlist/commission runners and installer, docs/
 * installer.md "Debian packages the ephemeral image needs") and the deployed system (cloud-init
 * with the MAAS datasource, a kernel and grub for the installer's bootloader stage) need. One
 * Debian tree serves both: the deployed image is its tarball, the ephemeral initrd is the same tree
 * plus a small overlay, which halves the build time.
 */
export const ROOTFS_PACKAGES = [
  'systemd-sysv',
  'udev',
  'kmod',
  'cloud-init',
  'curl',
  'iproute2',
  'util-linux',
  'fdisk',
  'e2fsprogs',
  'dosfstools',
  'squashfs-tools',
  'lvm2',
  'xz-utils',
  'bzip2',
  'gzip',
  'tar',
  'coreutils',
  'linux-image-amd64',
  'grub-pc',
] as const;

/** Kernel module trees no VM (and no test) uses: a quarter of the image's size. */
const PRUNED_MODULE_DIRS = [
  'sound',
  'drivers/gpu',
  'drivers/media',
  'drivers/net/wireless',
  'drivers/infiniband',
  'drivers/staging',
  'drivers/bluetooth',
  'drivers/isdn',
  'drivers/iio',
  'drivers/input/touchscreen',
  'net/wireless',
  'net/bluetooth',
  'net/mac80211',
];

const DHCP_NETWORK = '[Match]\nName=en* eth*\n\n[Network]\nDHCP=ipv4\n';

// The installer runs update-grub in the target: these settings put the deployed system's console
// on the serial port the harness records, and skip grub's menu wait.
const GRUB_DEFAULTS = [
  'GRUB_DEFAULT=0',
  'GRUB_TIMEOUT=0',
  'GRUB_DISTRIBUTOR="Debian (Kiln test image)"',
  'GRUB_CMDLINE_LINUX_DEFAULT=""',
  'GRUB_CMDLINE_LINUX="console=tty0 console=ttyS0,115200"',
  'GRUB_TERMINAL="console serial"',
  'GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"',
  '',
].join('\n');

export interface RootfsOptions {
  readonly dir: string;
  /** mmdebstrap mirror arguments: URLs, sources.list lines, or paths of sources files. */
  readonly sources: readonly string[];
  readonly suite: string;
  readonly logger?: Logger | undefined;
}

/** Builds the Debian tree with mmdebstrap (root mode: the builder runs as root, like the VMs). */
export async function buildRootfs(options: RootfsOptions): Promise<string> {
  const { dir, logger } = options;
  await rm(dir, { recursive: true, force: true });
  await runCommand(
    'mmdebstrap',
    [
      '--variant=minbase',
      '--mode=root',
      `--include=${ROOTFS_PACKAGES.join(',')}`,
      '--aptopt=Apt::Install-Recommends "false"',
      '--dpkgopt=path-exclude=/usr/share/doc/*',
      '--dpkgopt=path-exclude=/usr/share/man/*',
      '--dpkgopt=path-exclude=/usr/share/locale/*',
      '--dpkgopt=path-exclude=/usr/share/info/*',
      options.suite,
      dir,
      ...options.sources,
    ],
    { logger },
  );
  return customiseRootfs(dir, logger);
}

/** Network by DHCP, serial console, no apt caches, pruned modules; returns the kernel release. */
async function customiseRootfs(dir: string, logger?: Logger): Promise<string> {
  const releases = await readdir(join(dir, 'lib/modules'));
  const release = releases[0];
  if (release === undefined || releases.length !== 1) {
    throw new AppError(
      'IMAGE_KERNEL_MISMATCH',
      `Expected one kernel in the image, found ${String(releases.length)}: ${releases.join(', ')}`,
    );
  }
  for (const sub of PRUNED_MODULE_DIRS) {
    await rm(join(dir, 'lib/modules', release, 'kernel', sub), { recursive: true, force: true });
  }
  await runCommand('depmod', ['-b', dir, release], { logger });
  await mkdir(join(dir, 'etc/systemd/network'), { recursive: true });
  await writeFile(join(dir, 'etc/systemd/network/99-kiln-dhcp.network'), DHCP_NETWORK);
  await runCommand('systemctl', [`--root=${dir}`, 'enable', 'systemd-networkd.service'], {
    logger,
  });
  await writeFile(join(dir, 'etc/default/grub'), GRUB_DEFAULTS);
  // minbase has no locales: cloud-init's locale module would fail, and a failed top-level stage
  // (modules-config) is a failed commissioning/deployment to the region (spec §6.3).
  await mkdir(join(dir, 'etc/cloud/cloud.cfg.d'), { recursive: true });
  await writeFile(join(dir, 'etc/cloud/cloud.cfg.d/05_kiln_image.cfg'), 'locale: false\n');
  // Each machine must create its own identity on first boot.
  await writeFile(join(dir, 'etc/machine-id'), '');
  await rm(join(dir, 'var/lib/dbus/machine-id'), { force: true });
  await rm(join(dir, 'etc/hostname'), { force: true });
  for (const sub of ['var/lib/apt/lists', 'var/cache/apt']) {
    await rm(join(dir, sub), { recursive: true, force: true });
    await mkdir(join(dir, sub), { recursive: true });
  }
  return release;
}
