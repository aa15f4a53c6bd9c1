import type { BootLoader } from '@kiln/protocol';
import { normalizeMac } from '@kiln/protocol';

/**
 * Recognises the boot config names firmware and bootloaders ask for (spec §5.1), over TFTP and
 * HTTP alike. Anything else is not a config (the caller serves it as a file or answers not-found).
 */
export type BootConfigTarget =
  | { readonly loader: 'ipxe' | 'grub'; readonly kind: 'bootstrap' }
  | { readonly loader: BootLoader; readonly kind: 'mac'; readonly mac: string }
  | { readonly loader: 'pxelinux'; readonly kind: 'uuid'; readonly uuid: string }
  | {
      readonly loader: BootLoader;
      readonly kind: 'default';
      readonly arch: string | null;
      readonly subarch: string | null;
    };

const ARCH = '([a-z0-9_]+)(?:-([a-z0-9_.-]+))?';
const MAC = '([0-9a-f]{2}(?:[:-][0-9a-f]{2}){5})';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const IPXE_MAC = new RegExp(`^ipxe\\.cfg-${MAC}$`, 'i');
const IPXE_DEFAULT = new RegExp(`^ipxe\\.cfg-default(?:-${ARCH})?$`, 'i');
const PXELINUX_MAC = new RegExp(`^pxelinux\\.cfg/01-${MAC}$`, 'i');
const PXELINUX_DEFAULT = new RegExp(`^pxelinux\\.cfg/default(?:[-.]${ARCH})?$`, 'i');
const GRUB_MAC = new RegExp(`^grub/grub\\.cfg-${MAC}$`, 'i');
const GRUB_DEFAULT = new RegExp(`^grub/grub\\.cfg-default(?:-${ARCH})?$`, 'i');

// GRUB names the default by its own CPU name; the region knows images by Debian arch names.
const GRUB_CPU_ARCH: Readonly<Record<string, string>> = {
  x86_64: 'amd64',
  i386: 'i386',
  arm64: 'arm64',
  powerpc: 'ppc64el',
  ppc64: 'ppc64el',
  ppc64le: 'ppc64el',
};

function byMac(loader: BootLoader, text: string | undefined): BootConfigTarget | null {
  const mac = text === undefined ? null : normalizeMac(text);
  return mac === null ? null : { loader, kind: 'mac', mac };
}

function byDefault(loader: BootLoader, match: RegExpExecArray): BootConfigTarget {
  const arch = match[1]?.toLowerCase() ?? null;
  return {
    loader,
    kind: 'default',
    arch: loader === 'grub' && arch !== null ? (GRUB_CPU_ARCH[arch] ?? arch) : arch,
    subarch: match[2]?.toLowerCase() ?? null,
  };
}

/** `path` is the namespace-relative name, without a leading slash (as the TFTP path policy yields). */
export function parseBootConfigPath(path: string): BootConfigTarget | null {
  const name = path.replace(/^\/+/, '');
  if (name === 'ipxe.cfg') return { loader: 'ipxe', kind: 'bootstrap' };
  if (name === 'grub/grub.cfg') return { loader: 'grub', kind: 'bootstrap' };
  let match: RegExpExecArray | null;
  if ((match = IPXE_MAC.exec(name))) return byMac('ipxe', match[1]);
  if ((match = IPXE_DEFAULT.exec(name))) return byDefault('ipxe', match);
  if ((match = PXELINUX_MAC.exec(name))) return byMac('pxelinux', match[1]);
  if ((match = PXELINUX_DEFAULT.exec(name))) return byDefault('pxelinux', match);
  if ((match = GRUB_MAC.exec(name))) return byMac('grub', match[1]);
  if ((match = GRUB_DEFAULT.exec(name))) return byDefault('grub', match);
  if (name.startsWith('pxelinux.cfg/')) {
    const uuid = name.slice('pxelinux.cfg/'.length).toLowerCase();
    // PXELINUX also probes hex IP prefixes (C0A8010A, C0A801, ...): not configs Kiln renders.
    if (UUID.test(uuid)) return { loader: 'pxelinux', kind: 'uuid', uuid };
  }
  return null;
}
