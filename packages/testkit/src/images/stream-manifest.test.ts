import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  allItems,
  buildStream,
  latestVersions,
  mapToBootResources,
  readStream,
  writeSigningKeyFiles,
} from '@kiln/simplestreams';
import { afterEach, describe, expect, it } from 'vitest';
import { testImageManifest, type ImageFiles } from './stream-manifest.js';

// The published stream must be what Kiln's importer accepts: signed, and mapped by the MAAS rules
// to ubuntu/noble (the default commissioning release), the broken ubuntu/jammy and a bootloader.
describe('testImageManifest', () => {
  let dir = '';
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('builds a signed stream the MAAS mapping turns into noble, jammy and pxelinux resources', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-test-images-'));
    const names = ['kernel', 'initrd', 'rootTgz', 'syslinux', 'ipxe', 'brokenRootTgz'] as const;
    const files = {} as Record<keyof ImageFiles, string>;
    for (const name of names) {
      files[name] = join(dir, name);
      await writeFile(files[name], `bytes of ${name}\n`);
    }
    const keys = await writeSigningKeyFiles(dir);
    await buildStream({
      manifest: testImageManifest(
        files,
        '20261122.abcdef01',
        { ipxe: '1.0', pxelinux: '6.04' },
        'linux-image-6.1.0-56-amd64',
      ),
      outDir: join(dir, 'stream'),
      signKey: keys.secretKeyPath,
    });
    const stream = await readStream(join(dir, 'stream/streams/v1/index.sjson'), {
      keyring: keys.keyringPath,
      policy: 'signed',
    });
    const warnings: string[] = [];
    const resources = mapToBootResources(latestVersions(allItems(stream)), (m) => warnings.push(m));
    const byName = new Map(resources.map((r) => [r.name, r]));
    expect([...byName.keys()].sort()).toEqual(['pxelinux/pxe', 'ubuntu/jammy', 'ubuntu/noble']);
    const noble = byName.get('ubuntu/noble');
    expect(noble?.architecture).toBe('amd64/ga-24.04');
    expect(noble?.files.map((f) => f.filename).sort()).toEqual([
      'boot-initrd',
      'boot-kernel',
      'root-tgz',
    ]);
    const jammy = byName.get('ubuntu/jammy');
    // Same kernel and initrd bytes as noble; only the root differs.
    const sha = (r: typeof noble, n: string) => r?.files.find((f) => f.filename === n)?.sha256;
    expect(sha(jammy, 'boot-kernel')).toBe(sha(noble, 'boot-kernel'));
    expect(sha(jammy, 'root-tgz')).not.toBe(sha(noble, 'root-tgz'));
    expect(warnings).toEqual([]);
  });
});
