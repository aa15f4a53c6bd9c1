import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFixtureStream, type FixtureStream } from '@kiln/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allItems,
  architectureSubarch,
  expandSubarches,
  filterBySelections,
  latestVersions,
  mapToBootResources,
  mergeSources,
  readStream,
  type BootResource,
  type FlatItem,
} from '../index.js';

let dir: string;
let fixture: FixtureStream;
let resources: BootResource[];
const warnings: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-boot-'));
  fixture = await makeFixtureStream({ dir });
  const stream = await readStream(join(fixture.root, 'streams/v1/index.json'));
  resources = mapToBootResources(latestVersions(allItems(stream)), (m) => warnings.push(m));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const find = (name: string, architecture: string): BootResource | undefined =>
  resources.find((r) => r.name === name && r.architecture === architecture);

describe('mapToBootResources', () => {
  it('maps Ubuntu products like MAAS: name, architecture, alias, newest version, boot files only', () => {
    const r = find('ubuntu/jammy', 'amd64/ga-22.04');
    expect(r).toMatchObject({
      os: 'ubuntu',
      release: 'jammy',
      alias: 'ubuntu/22.04',
      label: 'stable',
      version: '20250718',
      kflavor: 'generic',
      releaseTitle: '22.04 LTS',
      contentId: 'com.ubuntu.maas:stable:v3:download',
      productName: 'com.ubuntu.maas.stable:v3:boot:22.04:amd64:ga-22.04',
    });
    expect(r?.files.map((f) => [f.filename, f.kind]).sort()).toEqual([
      ['boot-initrd', 'initrd'],
      ['boot-kernel', 'kernel'],
      ['squashfs', 'squashfs'],
    ]);
    expect(r?.files.find((f) => f.kind === 'kernel')).toMatchObject({
      path: 'jammy/amd64/20250718/ga-22.04/generic/boot-kernel',
      kpackage: 'linux-generic',
      sha256: fixture.files.get('jammy/amd64/20250718/ga-22.04/generic/boot-kernel')?.sha256,
    });
    expect(r?.subarches).toEqual(expect.arrayContaining(['generic', 'hwe-j', 'ga-22.04']));
  });

  it('appends a non-generic kflavor to the architecture', () => {
    expect(find('ubuntu/noble', 'amd64/ga-24.04-lowlatency')).toMatchObject({
      kflavor: 'lowlatency',
      subarch: 'ga-24.04-lowlatency',
    });
    expect(architectureSubarch('hwe-24.04-edge', 'lowlatency')).toBe('hwe-24.04-lowlatency-edge');
    expect(architectureSubarch('generic', 'lowlatency')).toBe('generic');
    expect(architectureSubarch('ga-24.04', 'generic')).toBe('ga-24.04');
  });

  it('maps bootloaders MAAS accepts and skips the others with a warning', () => {
    const bootloaders = resources
      .filter((r) => r.kflavor === 'bootloader')
      .map((r) => `${r.name} ${r.architecture}`);
    expect(bootloaders.sort()).toEqual([
      'grub-efi-signed/uefi amd64/generic',
      'grub-efi/uefi arm64/generic',
      'grub-ieee1275/open-firmware ppc64el/generic',
      'pxelinux/pxe i386/generic',
    ]);
    expect(find('grub-efi-signed/uefi', 'amd64/generic')).toMatchObject({
      release: 'uefi',
      bootloaderType: 'uefi',
    });
    expect(
      find('grub-efi-signed/uefi', 'amd64/generic')
        ?.files.map((f) => f.filename)
        .sort(),
    ).toEqual(['grub2-signed.tar.xz', 'shim-signed.tar.xz']);
    expect(warnings.some((w) => w.includes('pxelinux:pxe:amd64'))).toBe(true);
  });

  it('maps the CentOS root-tgz product', () => {
    const r = find('centos/centos70', 'amd64/generic');
    expect(r?.files.map((f) => f.kind)).toEqual(['root-archive']);
    expect(r?.alias).toBe('centos/7.0');
    expect(resources).toHaveLength(9 + 4 + 1);
  });

  it('skips unknown ftypes and refuses Ubuntu products outside v2/v3 streams', () => {
    const seen: string[] = [];
    const base = {
      os: 'ubuntu',
      arch: 'amd64',
      release: 'noble',
      subarch: 'ga-24.04',
      version_name: '1',
      label: 'x',
    };
    const items: FlatItem[] = [
      {
        ...base,
        product_name: 'a:v3:boot',
        item_name: 'k',
        ftype: 'boot-kernel',
        path: 'k',
        sha256: 'a'.repeat(64),
        size: '1',
      },
      {
        ...base,
        product_name: 'a:v3:boot',
        item_name: 'w',
        ftype: 'weird',
        path: 'w',
        sha256: 'b'.repeat(64),
        size: '1',
      },
      {
        ...base,
        product_name: 'a:v1:boot',
        item_name: 'k',
        ftype: 'boot-kernel',
        path: 'k',
        sha256: 'a'.repeat(64),
        size: '1',
      },
    ];
    const mapped = mapToBootResources(items, (m) => seen.push(m));
    expect(mapped.map((r) => r.productName)).toEqual(['a:v3:boot']);
    expect(seen).toEqual([
      expect.stringContaining('unknown ftype "weird"'),
      expect.stringContaining('a:v1:boot'),
    ]);
  });

  it('adds generic for a release GA kernel or its hwe-<letter> alias', () => {
    expect(expandSubarches({ version: '24.04', release: 'noble' }, 'ga-24.04')).toEqual([
      'ga-24.04',
      'generic',
    ]);
    expect(expandSubarches({ version: '24.04', release: 'noble' }, 'hwe-n')).toEqual([
      'hwe-n',
      'generic',
    ]);
    expect(
      expandSubarches(
        { version: '24.04', release: 'noble', subarches: 'hwe-p, hwe-q' },
        'hwe-24.04',
      ),
    ).toEqual(['hwe-p', 'hwe-q', 'hwe-24.04']);
  });
});

describe('selections', () => {
  it('filters by os, release, arches, subarches and labels with * and always keeps bootloaders', () => {
    const picked = filterBySelections(resources, [
      { os: 'ubuntu', release: 'noble', arches: ['amd64'], subarches: ['*'], labels: ['*'] },
    ]);
    expect(
      picked
        .filter((r) => r.os === 'ubuntu')
        .map((r) => r.architecture)
        .sort(),
    ).toEqual(['amd64/ga-24.04', 'amd64/ga-24.04-lowlatency', 'amd64/hwe-24.04']);
    expect(picked.filter((r) => r.bootloaderType !== undefined)).toHaveLength(4);
    const none = filterBySelections(
      resources,
      [{ os: '*', release: '*', arches: ['*'], subarches: ['*'], labels: ['candidate'] }],
      {
        alwaysIncludeBootloaders: false,
      },
    );
    expect(none).toEqual([]);
    const hwe = filterBySelections(
      resources,
      [
        {
          os: '*',
          release: 'jammy',
          arches: ['arm64'],
          subarches: ['hwe-22.04'],
          labels: ['stable'],
        },
      ],
      {
        alwaysIncludeBootloaders: false,
      },
    );
    expect(hwe.map((r) => r.architecture)).toEqual(['arm64/hwe-22.04']);
  });

  it('lets the earlier source win for identical images', () => {
    const first = resources.filter((r) => r.release === 'noble');
    const second = resources.map((r) => ({ ...r, version: 'from-second' }));
    const merged = mergeSources([first, second]);
    expect(merged).toHaveLength(resources.length);
    expect(
      merged.filter((r) => r.release === 'noble').every((r) => r.version !== 'from-second'),
    ).toBe(true);
    expect(
      merged.filter((r) => r.release === 'jammy').every((r) => r.version === 'from-second'),
    ).toBe(true);
  });
});
