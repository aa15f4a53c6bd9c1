import { describe, expect, it } from 'vitest';
import type { BootSourceOffer, OfferedRelease, ResourceSummary } from './image-types.js';
import {
  cellSelectable,
  matrixArches,
  matrixRows,
  offerKnown,
  selectionMatrix,
} from './offer-matrix.js';

function release(name: string, title: string, arches: string[], os = 'ubuntu'): OfferedRelease {
  return {
    os,
    release: name,
    release_title: title,
    release_codename: '',
    support_eol: null,
    arches,
    subarches: ['generic'],
    labels: ['stable'],
  };
}

const OFFER: BootSourceOffer = {
  boot_source_id: 1,
  url: 'http://mirror/',
  updated: '2026-11-22T08:30:00.000',
  releases: [
    release('centos70', 'CentOS 7', ['amd64'], 'centos'),
    release('jammy', '22.04 LTS', ['amd64', 'arm64']),
    release('noble', '24.04 LTS', ['s390x', 'arm64', 'amd64']),
  ],
  bootloaders: [],
  resource_uri: '/MAAS/api/2.0/boot-sources/1/available-images/',
};

const selected = selectionMatrix([
  { id: 1, boot_source_id: 1, os: 'ubuntu', release: 'noble', arches: ['amd64'] },
  { id: 2, boot_source_id: 1, os: 'ubuntu', release: 'focal', arches: ['amd64'] },
  { id: 3, boot_source_id: 1, os: 'centos', release: 'centos70', arches: ['amd64'] },
]);

const synced: ResourceSummary[] = [
  { id: 9, type: 'Synced', name: 'ubuntu/bionic', architecture: 'amd64/ga-18.04' },
  { id: 10, type: 'Uploaded', name: 'custom/thing', architecture: 'amd64/generic' },
];

describe('the Ubuntu matrix built from what the source offers', () => {
  it('lists offered Ubuntu releases newest first, then selected or synced ones it lacks', () => {
    const rows = matrixRows(OFFER, selected, synced);
    expect(rows.map((r) => [r.release, r.title])).toEqual([
      ['noble', '24.04 LTS'],
      ['jammy', '22.04 LTS'],
      ['bionic', ''],
      ['focal', ''],
    ]);
    expect([...(rows[0]?.offered ?? [])].sort()).toEqual(['amd64', 'arm64', 's390x']);
    expect(rows[2]?.offered.size).toBe(0);
  });

  it('orders columns amd64 first, by port, from offered and selected arches', () => {
    expect(matrixArches(OFFER, selected)).toEqual(['amd64', 'arm64', 's390x']);
    expect(matrixArches(undefined, new Map())).toEqual(['amd64']);
    expect(matrixArches(undefined, new Map([['noble', new Set(['riscv64', 'arm64'])]]))).toEqual([
      'arm64',
      'riscv64',
    ]);
  });

  it('offers a checkbox only where the source has the image, or it was selected', () => {
    const rows = matrixRows(OFFER, selected, synced);
    const [noble, jammy, , focal] = rows;
    if (noble === undefined || jammy === undefined || focal === undefined) throw new Error('rows');
    expect(offerKnown(OFFER)).toBe(true);
    expect(cellSelectable(jammy, 's390x', true, selected)).toBe(false);
    expect(cellSelectable(noble, 's390x', true, selected)).toBe(true);
    // focal is no longer offered but selected: it stays, so it can be un-selected.
    expect(cellSelectable(focal, 'amd64', true, selected)).toBe(true);
    expect(cellSelectable(focal, 'arm64', true, selected)).toBe(false);
    // Before the source was ever read nothing is known to be missing.
    expect(offerKnown({ ...OFFER, updated: null, releases: [] })).toBe(false);
    expect(cellSelectable(jammy, 's390x', false, selected)).toBe(true);
  });

  it('renders the same rows for the same offer (stable while polling)', () => {
    expect(matrixRows(OFFER, selected, synced)).toEqual(matrixRows(OFFER, selected, synced));
  });
});
