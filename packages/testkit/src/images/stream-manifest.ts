import type { Manifest } from '@kiln/simplestreams';

export const TEST_IMAGE_CONTENT_ID = 'com.ubuntu.maas:stable:v3:download';
export const TEST_BOOTLOADER_CONTENT_ID = 'com.ubuntu.maas:stable:1:bootloader-download';
export const TEST_IMAGE_PRODUCT = 'com.ubuntu.maas.stable:v3:boot:24.04:amd64:ga-24.04';

export interface ImageFiles {
  readonly kernel: string;
  readonly initrd: string;
  readonly rootTgz: string;
  readonly syslinux: string;
  readonly ipxe: string;
  /** Published as ubuntu/jammy: boots like noble, but its root-tgz is not a tarball. */
  readonly brokenRootTgz: string;
}

export const TEST_BROKEN_PRODUCT = 'com.ubuntu.maas.stable:v3:boot:22.04:amd64:ga-22.04';

/**
 * The Debian-built images are published under the product fields of Kiln's default commissioning
 * release (ubuntu/noble, ga-24.04): the region then boots them for enlistment, commissioning and
 * deployment with no configuration change. The titles say what they really are (docs/vm-tests.md).
 */
export function testImageManifest(
  files: ImageFiles,
  version: string,
  packages: Readonly<Record<string, string>>,
  kernelPackage: string,
): Manifest {
  const dir = `noble/amd64/${version}`;
  const kpackage = { kpackage: kernelPackage };
  const kernelAndInitrd = {
    'boot-kernel': {
      ftype: 'boot-kernel',
      path: `${dir}/ga-24.04/generic/boot-kernel`,
      file: files.kernel,
      ...kpackage,
    },
    'boot-initrd': {
      ftype: 'boot-initrd',
      path: `${dir}/ga-24.04/generic/boot-initrd`,
      file: files.initrd,
      ...kpackage,
    },
  };
  const loaderFields = {
    src_release: 'bookworm',
    src_package: 'syslinux',
    src_version: packages.pxelinux ?? 'unknown',
  };
  return {
    content: {
      [TEST_IMAGE_CONTENT_ID]: {
        datatype: 'image-ids',
        products: {
          [TEST_IMAGE_PRODUCT]: {
            arch: 'amd64',
            os: 'ubuntu',
            release: 'noble',
            release_codename: 'Debian 12 bookworm (Kiln test image)',
            release_title: 'Kiln test image (Debian 12 packages)',
            version: '24.04',
            subarch: 'ga-24.04',
            subarches: 'generic,ga-24.04',
            kflavor: 'generic',
            krel: 'noble',
            label: 'stable',
            support_eol: '2029-05-31',
            versions: {
              [version]: {
                items: {
                  ...kernelAndInitrd,
                  'root-tgz': { ftype: 'root-tgz', path: `${dir}/root-tgz`, file: files.rootTgz },
                },
              },
            },
          },
          [TEST_BROKEN_PRODUCT]: {
            arch: 'amd64',
            os: 'ubuntu',
            release: 'jammy',
            release_codename: 'Broken (Kiln test image)',
            release_title: 'Kiln test image with a broken root-tgz',
            version: '22.04',
            subarch: 'ga-22.04',
            subarches: 'generic,ga-22.04',
            kflavor: 'generic',
            krel: 'jammy',
            label: 'stable',
            support_eol: '2027-06-01',
            versions: {
              [version]: {
                items: {
                  // Same files (and paths) as noble: only the root differs.
                  ...kernelAndInitrd,
                  'root-tgz': {
                    ftype: 'root-tgz',
                    path: `jammy/amd64/${version}/root-tgz`,
                    file: files.brokenRootTgz,
                  },
                },
              },
            },
          },
        },
      },
      [TEST_BOOTLOADER_CONTENT_ID]: {
        datatype: 'image-ids',
        products: {
          'com.ubuntu.maas.stable:1:pxelinux:pxe:i386': {
            arch: 'i386',
            arches: 'i386,amd64',
            'bootloader-type': 'pxe',
            label: 'stable',
            os: 'pxelinux',
            versions: {
              [version]: {
                items: {
                  syslinux: {
                    ftype: 'archive.tar.xz',
                    path: `bootloaders/pxe/i386/${version}/syslinux.tar.xz`,
                    file: files.syslinux,
                    ...loaderFields,
                  },
                  ipxe: {
                    ftype: 'archive.tar.xz',
                    path: `bootloaders/pxe/i386/${version}/ipxe.tar.xz`,
                    file: files.ipxe,
                    src_release: 'bookworm',
                    src_package: 'ipxe',
                    src_version: packages.ipxe ?? 'unknown',
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
