import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildStream, loadSigningKey, writeSigningKeyFiles } from '@kiln/simplestreams';

// A generated image stream shaped like images.maas.io's noble/amd64 (a squashfs and two kernels
// and initrds), random bytes of a chosen total size: the import and multi-region suites' input.

export interface BenchFile {
  readonly path: string;
  readonly size: number;
  sha256: string;
}

/** Writes `size` random bytes in 4 MiB pieces and returns their sha256. */
export async function writeBlob(path: string, size: number): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const hash = createHash('sha256');
  const handle = await open(path, 'w');
  try {
    for (let done = 0; done < size;) {
      const piece = randomBytes(Math.min(4 << 20, size - done));
      hash.update(piece);
      await handle.write(piece);
      done += piece.length;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

export function layout(totalBytes: number): BenchFile[] {
  const dir = 'noble/amd64/20250718';
  const part = (share: number): number => Math.max(1, Math.floor(totalBytes * share));
  return [
    { path: `${dir}/squashfs`, size: part(0.7), sha256: '' },
    { path: `${dir}/ga-24.04/generic/boot-kernel`, size: part(0.05), sha256: '' },
    { path: `${dir}/ga-24.04/generic/boot-initrd`, size: part(0.1), sha256: '' },
    { path: `${dir}/hwe-24.04/generic/boot-kernel`, size: part(0.05), sha256: '' },
    { path: `${dir}/hwe-24.04/generic/boot-initrd`, size: part(0.1), sha256: '' },
  ];
}

export function manifest(files: readonly BenchFile[]): unknown {
  const product = (subarch: string) => ({
    arch: 'amd64',
    os: 'ubuntu',
    release: 'noble',
    version: '24.04',
    label: 'stable',
    subarch,
    subarches: `generic,hwe-n,${subarch}`,
    kflavor: 'generic',
    versions: {
      '20250718': {
        items: Object.fromEntries(
          files
            .filter((f) => f.path.includes(`/${subarch}/`) || f.path.endsWith('squashfs'))
            .map((f) => {
              const ftype = f.path.split('/').at(-1) ?? 'squashfs';
              return [
                ftype,
                { ftype, path: f.path, file: `blobs/${f.path}`, kpackage: 'linux-generic' },
              ];
            }),
        ),
      },
    },
  });
  return {
    updated: 'Thu, 24 Jul 2025 08:01:49 +0000',
    content: {
      'com.ubuntu.maas:stable:v3:download': {
        datatype: 'image-ids',
        products: {
          'com.ubuntu.maas.stable:v3:boot:24.04:amd64:ga-24.04': product('ga-24.04'),
          'com.ubuntu.maas.stable:v3:boot:24.04:amd64:hwe-24.04': product('hwe-24.04'),
        },
      },
    },
  };
}

/**
 * Writes the files, their manifest and a gpg-signed stream of them under `work` (`www/` is the
 * stream to serve, `keys/` the keyring that verifies it).
 */
export async function writeSignedStream(
  work: string,
  totalBytes: number,
): Promise<{ files: BenchFile[]; keyringPath: string }> {
  const files = layout(totalBytes);
  for (const file of files)
    file.sha256 = await writeBlob(join(work, 'source/blobs', file.path), file.size);
  await writeFile(join(work, 'source/manifest.json'), JSON.stringify(manifest(files)));
  const keys = await writeSigningKeyFiles(join(work, 'keys'));
  await buildStream({
    manifest: join(work, 'source/manifest.json'),
    outDir: join(work, 'www'),
    signKey: await loadSigningKey(Buffer.from(keys.privateKeyArmored)),
  });
  return { files, keyringPath: keys.keyringPath };
}
