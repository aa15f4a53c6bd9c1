import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gpgvVerify } from '@kiln/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allItems,
  buildStream,
  readStream,
  signTree,
  writeSigningKeyFiles,
  type KeyFiles,
} from '../index.js';

let dir: string;
let key: KeyFiles;
const kernel = Buffer.from('kernel bytes\n'.repeat(100));

const manifest = (
  path = 'noble/amd64/20250718/ga-24.04/generic/boot-kernel',
  file = 'kernel.bin',
): string => `
updated: "Thu, 24 Jul 2025 08:01:49 +0000"
content:
  com.ubuntu.maas:stable:v3:download:
    products:
      "com.ubuntu.maas.stable:v3:boot:24.04:amd64:ga-24.04":
        arch: amd64
        os: ubuntu
        release: noble
        version: "24.04"
        subarch: ga-24.04
        kflavor: generic
        label: stable
        versions:
          "20250718":
            items:
              boot-kernel:
                ftype: boot-kernel
                kpackage: linux-generic
                path: ${path}
                file: ${file}
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-build-'));
  await writeFile(join(dir, 'kernel.bin'), kernel);
  await mkdir(join(dir, 'keys'));
  key = await writeSigningKeyFiles(join(dir, 'keys'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('buildStream', () => {
  it('writes an images.maas.io-shaped tree, signed documents that gpgv accepts', async () => {
    await writeFile(join(dir, 'm.yaml'), manifest());
    const out = join(dir, 'out');
    const result = await buildStream({
      manifest: join(dir, 'm.yaml'),
      outDir: out,
      signKey: key.secretKeyPath,
    });
    expect(result).toMatchObject({
      indexPath: 'streams/v1/index.sjson',
      files: 1,
      bytes: kernel.length,
    });
    expect((await readdir(join(out, 'streams/v1'))).sort()).toEqual([
      'com.ubuntu.maas:stable:v3:download.json',
      'com.ubuntu.maas:stable:v3:download.sjson',
      'index.json',
      'index.sjson',
    ]);
    const index = await readFile(join(out, 'streams/v1/index.json'), 'utf8');
    expect(JSON.parse(index)).toEqual({
      format: 'index:1.0',
      updated: 'Thu, 24 Jul 2025 08:01:49 +0000',
      index: {
        'com.ubuntu.maas:stable:v3:download': {
          datatype: 'image-ids',
          format: 'products:1.0',
          path: 'streams/v1/com.ubuntu.maas:stable:v3:download.json',
          products: ['com.ubuntu.maas.stable:v3:boot:24.04:amd64:ga-24.04'],
          updated: 'Thu, 24 Jul 2025 08:01:49 +0000',
        },
      },
    });
    expect(index.startsWith('{\n "format": "index:1.0",\n "index": {')).toBe(true);
    const products = JSON.parse(
      await readFile(join(out, 'streams/v1/com.ubuntu.maas:stable:v3:download.json'), 'utf8'),
    ) as {
      products: Record<string, { versions: Record<string, { items: Record<string, unknown> }> }>;
    };
    expect(products).toMatchObject({
      content_id: 'com.ubuntu.maas:stable:v3:download',
      datatype: 'image-ids',
      format: 'products:1.0',
    });
    expect(
      products.products['com.ubuntu.maas.stable:v3:boot:24.04:amd64:ga-24.04']?.versions['20250718']
        ?.items['boot-kernel'],
    ).toEqual({
      ftype: 'boot-kernel',
      kpackage: 'linux-generic',
      path: 'noble/amd64/20250718/ga-24.04/generic/boot-kernel',
      sha256: createHash('sha256').update(kernel).digest('hex'),
      size: kernel.length,
    });
    const signedIndex = await readFile(join(out, 'streams/v1/index.sjson'), 'utf8');
    expect(signedIndex).toContain('"path": "streams/v1/com.ubuntu.maas:stable:v3:download.sjson"');
    for (const doc of ['index.sjson', 'com.ubuntu.maas:stable:v3:download.sjson']) {
      const verdict = await gpgvVerify(key.keyringPath, join(out, 'streams/v1', doc));
      expect(verdict.code, verdict.output).toBe(0);
    }
    expect((await stat(key.secretKeyPath)).mode & 0o777).toBe(0o600);
    const stream = await readStream(out, { keyring: key.keyringPath });
    expect(allItems(stream).map((i) => i.sha256)).toEqual([
      createHash('sha256').update(kernel).digest('hex'),
    ]);
  });

  it.each([
    ['a path with ..', manifest('noble/../../escape'), 'STREAM_PATH_UNSAFE'],
    ['an absolute path', manifest('/etc/passwd'), 'STREAM_PATH_UNSAFE'],
    ['a missing file', manifest(undefined, 'nope.bin'), 'STREAM_MANIFEST_INVALID'],
    ['a malformed manifest', 'content: [1, 2]', 'STREAM_MANIFEST_INVALID'],
  ])('refuses %s and writes nothing', async (_name, text, code) => {
    await writeFile(join(dir, 'bad.yaml'), text);
    const out = join(dir, `out-bad-${code}`);
    await expect(
      buildStream({ manifest: join(dir, 'bad.yaml'), outDir: out }),
    ).rejects.toMatchObject({ code });
    await expect(stat(out)).rejects.toThrow();
  });
});

describe('signTree', () => {
  it('signs an unsigned tree and re-signs it with another key, payloads unchanged', async () => {
    await writeFile(join(dir, 'm2.yaml'), manifest());
    const out = join(dir, 'tree');
    await buildStream({ manifest: join(dir, 'm2.yaml'), outDir: out });
    await expect(stat(join(out, 'streams/v1/index.sjson'))).rejects.toThrow();
    const before = await readFile(
      join(out, 'streams/v1/com.ubuntu.maas:stable:v3:download.json'),
      'utf8',
    );
    await signTree(out, key.secretKeyPath);
    await readStream(out, { keyring: key.keyringPath });
    await mkdir(join(dir, 'keys2'));
    const other = await writeSigningKeyFiles(join(dir, 'keys2'));
    await rm(join(out, 'streams/v1/index.json'));
    const written = await signTree(out, other.secretKeyPath);
    expect(written).toContain('streams/v1/index.sjson');
    await expect(readStream(out, { keyring: key.keyringPath })).rejects.toMatchObject({
      code: 'STREAM_SIGNATURE_UNKNOWN_KEY',
    });
    const stream = await readStream(out, { keyring: other.keyringPath });
    expect(stream.products[0]?.document.text).toBe(before);
  });
});
