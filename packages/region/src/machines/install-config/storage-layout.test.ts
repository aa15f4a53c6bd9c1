import { describe, expect, it } from 'vitest';
import { isAppError } from '@kiln/node-kit';
import {
  parseStorageLayoutInput,
  renderStorageLayout,
  type StorageLayoutInput,
} from './storage-layout.js';
import { sampleMachine } from './test-support/sample-machine.js';

function layout(input: StorageLayoutInput, firmware: 'uefi' | 'bios' = 'uefi') {
  const machine = sampleMachine({ firmware });
  return renderStorageLayout(firmware, parseStorageLayoutInput(machine, input));
}

function fieldErrors(input: StorageLayoutInput): Record<string, string[]> {
  try {
    parseStorageLayoutInput(sampleMachine(), input);
  } catch (error) {
    if (isAppError(error) && error.code === 'MACHINE_STORAGE_LAYOUT_INVALID') {
      expect(error.status).toBe(400);
      return error.details as Record<string, string[]>;
    }
    throw error;
  }
  throw new Error('expected MACHINE_STORAGE_LAYOUT_INVALID');
}

describe('storage layouts', () => {
  it('flat on UEFI: 512 MiB vfat ESP, then ext4 root on the rest', () => {
    expect(layout({ storage_layout: 'flat' })).toEqual({
      layout: 'flat',
      firmware: 'uefi',
      partitions: [
        { number: 1, role: 'esp', size_mib: 512, fstype: 'vfat', mount: '/boot/efi', label: 'efi' },
        { number: 2, role: 'root', size_mib: null, fstype: 'ext4', mount: '/', label: 'root' },
      ],
    });
  });

  it('flat on BIOS: 1 MiB bios_grub, no file system on it', () => {
    expect(layout({ storage_layout: 'flat' }, 'bios').partitions).toEqual([
      { number: 1, role: 'bios_grub', size_mib: 1 },
      { number: 2, role: 'root', size_mib: null, fstype: 'ext4', mount: '/', label: 'root' },
    ]);
  });

  it('lvm: boot partition, a PV partition, vgroot/lvroot ext4 on /', () => {
    const s = layout({ storage_layout: 'lvm', lv_size: '20G' }, 'bios');
    expect(s.partitions).toEqual([
      { number: 1, role: 'bios_grub', size_mib: 1 },
      { number: 2, role: 'pv', size_mib: null },
    ]);
    expect(s.lvm).toEqual({
      vg: 'vgroot',
      pv_partition: 2,
      lvs: [{ name: 'lvroot', size_mib: Math.floor(20e9 / 2 ** 20), fstype: 'ext4', mount: '/' }],
    });
  });

  it('boot_size adds /boot; root_size and percentages become MiB; names and root_device are honoured', () => {
    const machine = sampleMachine();
    const choice = parseStorageLayoutInput(machine, {
      storage_layout: 'lvm',
      root_device: 'sdb',
      boot_size: '1G',
      root_size: '50%',
      vg_name: 'vg0',
      lv_name: 'root',
    });
    expect(choice.rootDevice.name).toBe('sdb');
    const s = renderStorageLayout('uefi', choice);
    expect(s.partitions.map((p) => [p.role, p.size_mib, p.mount])).toEqual([
      ['esp', 512, '/boot/efi'],
      ['boot', Math.floor(1e9 / 2 ** 20), '/boot'],
      ['pv', Math.floor((Math.floor(50e9 / 2 ** 20) * 0.5 * 2 ** 20) / 2 ** 20), undefined],
    ]);
    expect(s.lvm?.vg).toBe('vg0');
    expect(s.lvm?.lvs[0]?.name).toBe('root');
  });

  it.each<[string, StorageLayoutInput, Record<string, string[]>]>([
    ['missing layout', {}, { storage_layout: ['This field is required.'] }],
    [
      'unknown layout',
      { storage_layout: 'zfs' },
      { storage_layout: ['Select a valid choice. zfs is not one of the available choices.'] },
    ],
    [
      'unknown device',
      { storage_layout: 'flat', root_device: 'sdz' },
      { root_device: ["Unknown block device 'sdz'."] },
    ],
    [
      'not a size',
      { storage_layout: 'flat', root_size: 'big' },
      { root_size: ["'big' is not a size (bytes, K/M/G/T suffix, or N%)."] },
    ],
    [
      'too large',
      { storage_layout: 'flat', root_size: '200G' },
      { root_size: ['Size is too large: 190734 MiB requested, 94853 MiB available.'] },
    ],
    [
      'lvm fields on flat',
      { storage_layout: 'flat', vg_name: 'vg1' },
      { vg_name: ['Only valid with storage_layout=lvm.'] },
    ],
    [
      'bad vg name',
      { storage_layout: 'lvm', vg_name: '../x' },
      { vg_name: ["'../x' is not a valid volume group name."] },
    ],
    [
      'bad percentage',
      { storage_layout: 'flat', root_size: '150%' },
      { root_size: ['Percentage must be in (0, 100].'] },
    ],
  ])('%s → 400 naming the field', (_name, input, expected) => {
    expect(fieldErrors(input)).toEqual(expected);
  });

  it('a disk too small for the layout is refused', () => {
    const machine = sampleMachine({ block_devices: [{ name: 'vda', size: 300 * 2 ** 20 }] });
    expect(() => parseStorageLayoutInput(machine, { storage_layout: 'flat' })).toThrow(
      'Invalid storage layout.',
    );
  });
});
