import { createHash } from 'node:crypto';

/**
 * A products document shaped like images.maas.io's v3 download stream, grown until its JSON is
 * about `targetBytes` long (images.maas.io's is about 10 MB): many releases × arches × subarches,
 * several dated versions each, four items per version.
 */
export function makeLargeProductsDoc(targetBytes = 10 * 1024 * 1024): string {
  const products: Record<string, unknown> = {};
  const doc = {
    content_id: 'com.ubuntu.maas:stable:v3:download',
    datatype: 'image-ids',
    format: 'products:1.0',
    updated: 'Thu, 24 Jul 2025 09:01:43 +0000',
    products,
  };
  const fakeSha = (s: string): string => createHash('sha256').update(s).digest('hex');
  let bytes = 0;
  for (let n = 0; bytes < targetBytes; n++) {
    const release = `rel${n}`;
    for (const arch of ['amd64', 'arm64', 'ppc64el', 's390x']) {
      for (const subarch of [`ga-${n}.04`, `hwe-${n}.04`, `hwe-${n}.04-edge`]) {
        const versions: Record<string, unknown> = {};
        for (let v = 0; v < 8; v++) {
          const ver = `2025${String(1 + v).padStart(2, '0')}15`;
          const dir = `${release}/${arch}/${ver}`;
          const item = (ftype: string, path: string, size: number): Record<string, unknown> => ({
            ftype,
            path,
            sha256: fakeSha(path),
            size,
            ...(ftype.startsWith('boot-') ? { kpackage: 'linux-generic' } : {}),
          });
          versions[ver] = {
            items: {
              'boot-kernel': item(
                'boot-kernel',
                `${dir}/${subarch}/generic/boot-kernel`,
                15_000_000 + v,
              ),
              'boot-initrd': item(
                'boot-initrd',
                `${dir}/${subarch}/generic/boot-initrd`,
                75_000_000 + v,
              ),
              squashfs: item('squashfs', `${dir}/squashfs`, 260_000_000 + v),
              manifest: item('manifest', `${dir}/squashfs.manifest`, 18_584 + v),
            },
          };
        }
        const name = `com.ubuntu.maas.stable:v3:boot:${n}.04:${arch}:${subarch}`;
        products[name] = {
          arch,
          kflavor: 'generic',
          krel: release,
          label: 'stable',
          os: 'ubuntu',
          release,
          release_codename: `Release ${n}`,
          release_title: `${n}.04 LTS`,
          subarch,
          subarches:
            'generic,hwe-p,hwe-q,hwe-r,hwe-s,hwe-t,ga-16.04,ga-18.04,ga-20.04,ga-22.04,ga-24.04',
          support_eol: '2029-05-31',
          version: `${n}.04`,
          versions,
        };
        bytes += JSON.stringify(products[name], null, 1).length;
      }
    }
  }
  return `${JSON.stringify(doc, null, 1)}\n`;
}
