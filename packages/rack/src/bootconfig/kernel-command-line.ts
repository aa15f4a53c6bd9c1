import type { EphemeralBootAnswer } from '@kiln/protocol';

/**
 * MAAS's kernel command line for an ephemeral boot, in MAAS's order (spec §5.4). The order
 * matters to people comparing a Kiln machine's /proc/cmdline with a MAAS one, and the ` --- `
 * separator matters to curtin, which copies everything after it into the installed system.
 */

// Ubuntu releases older than jammy need AppArmor off in the ephemeral environment (MAAS does the same).
const UBUNTU_BEFORE_JAMMY = new Set([
  'precise',
  'trusty',
  'xenial',
  'bionic',
  'cosmic',
  'disco',
  'eoan',
  'focal',
  'groovy',
  'hirsute',
  'impish',
]);

/** `tar` for tarball roots (.tgz/.txz), `squash` otherwise (spec §5.4). */
export function rootFilesystemType(rootName: string): 'squash' | 'tar' {
  return /\.(tgz|txz|tar\.gz|tar\.xz)$/i.test(rootName) ? 'tar' : 'squash';
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== '');
}

/**
 * The command line without the loader-specific tail (BOOTIF, initrd=): every loader appends its
 * own, because only the loader knows how it learns the boot MAC.
 */
export function kernelCommandLine(answer: EphemeralBootAnswer): string {
  const ipv6 = answer.rack_address.includes(':');
  const rootType = rootFilesystemType(answer.root.name);
  const params = [
    'nomodeset',
    `root=${rootType}:${answer.root.url}`,
    // An IPv6 rack means the initramfs must not wait for IPv4 DHCP (MAAS: ip=off ip6=dhcp).
    ipv6 ? 'ip=off' : `ip=::::${answer.hostname}:BOOTIF`,
    ipv6 ? 'ip6=dhcp' : 'ip6=off',
    "cc:{'datasource_list': ['MAAS']}end_cc",
    `cloud-config-url=${answer.preseed_url}`,
  ];
  if (rootType === 'squash') params.push('ro', 'overlayroot=tmpfs', 'overlayroot_cfgdisk=disabled');
  if (answer.osystem === 'ubuntu' && UBUNTU_BEFORE_JAMMY.has(answer.release))
    params.push('apparmor=0');
  params.push(`log_host=${answer.log_host}`, `log_port=${answer.log_port}`);
  const extra = [...words(answer.kernel_opts), ...words(answer.kparams)];
  if (extra.length > 0) params.push('---', ...extra);
  return params.join(' ');
}

/** `BOOTIF=01-aa-bb-...`, the PXE convention initramfs-tools reads to pick the boot interface. */
export function bootifParameter(macOrVariable: string): string {
  return `BOOTIF=01-${macOrVariable.includes('$') ? macOrVariable : macOrVariable.toLowerCase().replaceAll(':', '-')}`;
}

/** Last path segment of a boot file: the name iPXE gives a downloaded image. */
export function imageBasename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/** One-line human summary for config comments and `echo`: `commissioning ubuntu/noble amd64/ga-24.04`. */
export function answerSummary(answer: EphemeralBootAnswer): string {
  return `${answer.purpose} ${answer.osystem}/${answer.release} ${answer.arch}/${answer.subarch}`;
}
