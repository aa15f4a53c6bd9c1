/** Bootloader (type → accepted (os, arch) pairs) that MAAS 3.6 imports; everything else is ignored. */
const BOOTLOADERS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  pxe: [['pxelinux', 'i386']],
  uefi: [
    ['grub-efi-signed', 'amd64'],
    ['grub-efi', 'arm64'],
  ],
  'open-firmware': [['grub-ieee1275', 'ppc64el']],
};

/** Why a bootloader product is not used, or undefined when it is. */
export function bootloaderRejection(
  productName: string,
  type: string,
  os: string,
  arch: string,
): string | undefined {
  if (!productName.includes(':1:')) return 'bootloader product names must contain ":1:"';
  const accepted = BOOTLOADERS[type];
  if (accepted === undefined) return `unknown bootloader-type ${type}`;
  if (!accepted.some(([o, a]) => o === os && a === arch))
    return `bootloader ${os}/${type} for ${arch} is not used`;
  return undefined;
}

/** Why an OS product's name is refused (Ubuntu needs a v2/v3 stream, Ubuntu Core v4), or undefined. */
export function osProductRejection(productName: string, os: string): string | undefined {
  if (os === 'ubuntu-core')
    return /:v4:/i.test(productName) ? undefined : 'ubuntu-core products must be ":v4:"';
  if (os.includes('ubuntu') && !/:v([23]|3\+platform):/i.test(productName)) {
    return 'ubuntu products must be ":v2:", ":v3:" or ":v3+platform:"';
  }
  return undefined;
}

/**
 * The subarch part of a resource's architecture: a non-generic kflavor is appended to GA/HWE
 * subarches (`ga-24.04-lowlatency`), or inserted before `-edge` (`hwe-24.04-lowlatency-edge`).
 */
export function architectureSubarch(subarch: string, kflavor: string | undefined): string {
  if (kflavor === undefined || kflavor === '' || kflavor === 'generic') return subarch;
  if (!subarch.startsWith('ga-') && !subarch.startsWith('hwe-')) return subarch;
  if (subarch.split('-').includes(kflavor)) return subarch;
  return subarch.endsWith('-edge')
    ? `${subarch.slice(0, -5)}-${kflavor}-edge`
    : `${subarch}-${kflavor}`;
}

/** `subarches` list ∪ own subarch ∪ `generic` for a release's GA kernel or its HWE alias. */
export function expandSubarches(
  fields: Readonly<Record<string, string>>,
  subarch: string,
): string[] {
  const set = new Set<string>();
  for (const s of (fields.subarches ?? '').split(',')) if (s.trim() !== '') set.add(s.trim());
  set.add(subarch);
  const version = fields.version;
  const release = fields.release ?? '';
  if (
    (version !== undefined && subarch === `ga-${version}`) ||
    (release !== '' && subarch === `hwe-${release[0] ?? ''}`)
  ) {
    set.add('generic');
  }
  return [...set];
}
