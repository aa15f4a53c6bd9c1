/**
 * The product layout of the fixture stream, shaped like images.maas.io's stable v3 streams:
 * Ubuntu jammy and noble for amd64 and arm64 with GA and HWE kernels (two versions each, so
 * "newest version" has something to choose), a lowlatency flavour, a CentOS root-tgz product and
 * bootloaders for pxe, uefi and open-firmware (including one MAAS ignores).
 */
export interface FixtureItem {
  readonly ftype: string;
  readonly path: string;
  /** Size of the generated blob in bytes. */
  readonly size: number;
  readonly fields?: Readonly<Record<string, string>>;
  /** Text content (package manifests); otherwise the blob is generated from the path. */
  readonly text?: string;
}

export interface FixtureProduct {
  readonly contentId: string;
  readonly name: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly versions: Readonly<Record<string, Readonly<Record<string, FixtureItem>>>>;
}

export const UBUNTU_CONTENT_ID = 'com.ubuntu.maas:stable:v3:download';
export const BOOTLOADER_CONTENT_ID = 'com.ubuntu.maas:stable:1:bootloader-download';
export const CENTOS_CONTENT_ID = 'com.ubuntu.maas:stable:centos-bases-download';
export const UBUNTU_VERSIONS = ['20250101', '20250718'] as const;

const PACKAGES = [
  ['adduser', '3.137ubuntu1'],
  ['apt', '2.7.14build2'],
  ['base-files', '13ubuntu10'],
  ['bash', '5.2.21-2ubuntu4'],
  ['cloud-init', '24.4-0ubuntu1'],
  ['coreutils', '9.4-3ubuntu6'],
  ['curtin-common', '23.1.1-0ubuntu1'],
  ['dpkg', '1.22.6ubuntu6'],
  ['linux-firmware', '20240318.git3b128b60-0ubuntu2'],
  ['openssh-server', '1:9.6p1-3ubuntu13'],
  ['systemd', '255.4-1ubuntu8'],
] as const;

/**
 * A `squashfs.manifest` as images.maas.io ships it (`<package>\t<version>` per line), made
 * distinct per image directory so no two images share a manifest by accident.
 */
export function packageManifest(dir: string): string {
  const tag = dir.replaceAll('/', '.');
  return PACKAGES.map(([name, version]) => `${name}\t${version}~${tag}\n`).join('');
}

function manifestItem(path: string, dir: string): FixtureItem {
  const text = packageManifest(dir);
  return { ftype: 'manifest', path, size: Buffer.byteLength(text), text };
}

const RELEASES = [
  {
    release: 'jammy',
    version: '22.04',
    codename: 'Jammy Jellyfish',
    letter: 'j',
    eol: '2027-06-01',
  },
  { release: 'noble', version: '24.04', codename: 'Noble Numbat', letter: 'n', eol: '2029-05-31' },
] as const;

function ubuntuProducts(scale: number): FixtureProduct[] {
  const out: FixtureProduct[] = [];
  for (const r of RELEASES) {
    for (const arch of ['amd64', 'arm64']) {
      const kernels = [
        { subarch: `ga-${r.version}`, kflavor: 'generic' },
        { subarch: `hwe-${r.version}`, kflavor: 'generic' },
        ...(r.release === 'noble' && arch === 'amd64'
          ? [{ subarch: `ga-${r.version}`, kflavor: 'lowlatency' }]
          : []),
      ];
      for (const k of kernels) {
        const suffix = k.kflavor === 'generic' ? k.subarch : `${k.subarch}-${k.kflavor}`;
        const versions: Record<string, Record<string, FixtureItem>> = {};
        for (const v of UBUNTU_VERSIONS) {
          const dir = `${r.release}/${arch}/${v}`;
          const kpackage = {
            kpackage: k.kflavor === 'generic' ? 'linux-generic' : `linux-${k.kflavor}`,
          };
          versions[v] = {
            'boot-kernel': {
              ftype: 'boot-kernel',
              path: `${dir}/${k.subarch}/${k.kflavor}/boot-kernel`,
              size: 3000 * scale,
              fields: kpackage,
            },
            'boot-initrd': {
              ftype: 'boot-initrd',
              path: `${dir}/${k.subarch}/${k.kflavor}/boot-initrd`,
              size: 5000 * scale,
              fields: kpackage,
            },
            squashfs: { ftype: 'squashfs', path: `${dir}/squashfs`, size: 20000 * scale },
            manifest: manifestItem(`${dir}/squashfs.manifest`, dir),
          };
        }
        out.push({
          contentId: UBUNTU_CONTENT_ID,
          name: `com.ubuntu.maas.stable:v3:boot:${r.version}:${arch}:${suffix}`,
          fields: {
            arch,
            os: 'ubuntu',
            label: 'stable',
            release: r.release,
            release_codename: r.codename,
            release_title: `${r.version} LTS`,
            version: r.version,
            subarch: k.subarch,
            kflavor: k.kflavor,
            krel: r.release,
            subarches: `generic,hwe-${r.letter},${k.subarch}`,
            support_eol: r.eol,
          },
          versions,
        });
      }
    }
  }
  return out;
}

function bootloader(os: string, type: string, arch: string, items: string[]): FixtureProduct {
  const version = '20231004.0';
  const entries: Record<string, FixtureItem> = {};
  for (const item of items) {
    entries[item] = {
      ftype: 'archive.tar.xz',
      path: `bootloaders/${type}/${arch}/${version}/${item}.tar.xz`,
      size: 1500,
      fields: { src_package: item, src_release: 'noble', src_version: '2.12-1ubuntu7' },
    };
  }
  return {
    contentId: BOOTLOADER_CONTENT_ID,
    name: `com.ubuntu.maas.stable:1:${os}:${type}:${arch}`,
    fields: { arch, arches: arch, 'bootloader-type': type, label: 'stable', os },
    versions: { [version]: entries },
  };
}

export function fixtureProducts(scale = 1): FixtureProduct[] {
  return [
    ...ubuntuProducts(scale),
    {
      contentId: CENTOS_CONTENT_ID,
      name: 'com.ubuntu.maas.stable:centos-bases:7.0:amd64',
      fields: {
        arch: 'amd64',
        label: 'stable',
        os: 'centos',
        release: 'centos70',
        release_title: 'CentOS 7',
        subarch: 'generic',
        subarches: 'generic',
        support_eol: '2024-06-30',
        version: '7.0',
      },
      versions: {
        '20240622_01': {
          'root-tgz': {
            ftype: 'root-tgz',
            path: 'centos/centos70/amd64/20240622_01/root-tgz',
            size: 8000 * scale,
          },
          manifest: manifestItem(
            'centos/centos70/amd64/20240622_01/root-tgz.manifest',
            'centos/centos70/amd64/20240622_01',
          ),
        },
      },
    },
    bootloader('pxelinux', 'pxe', 'i386', ['syslinux']),
    bootloader('pxelinux', 'pxe', 'amd64', ['syslinux']),
    bootloader('grub-efi-signed', 'uefi', 'amd64', ['grub2-signed', 'shim-signed']),
    bootloader('grub-efi', 'uefi', 'arm64', ['grub2-signed', 'shim-signed']),
    bootloader('grub-ieee1275', 'open-firmware', 'ppc64el', ['grub2']),
  ];
}
