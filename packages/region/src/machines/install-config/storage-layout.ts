import { AppError } from '@kiln/node-kit';
import type { InstallDisk, InstallPartition, StorageConfig } from './install-config-schema.js';
import type { InstallBlockDevice, InstallMachine } from './machine-input.js';
import { bytesToMib, parseSize, MIB } from './storage-size.js';

/**
 * `set_storage_layout` for the two layouts Kiln installs: `flat` (one ext4 root) and `lvm` (root
 * on vgroot/lvroot). Both put the firmware's boot partition first: a 512 MiB EFI system partition
 * for UEFI, or a 1 MiB bios_grub partition so GRUB can embed itself on a GPT disk under BIOS.
 */

export const ESP_MIB = 512;
export const BIOS_GRUB_MIB = 1;
/** GPT needs 1 MiB in front (alignment) and 33 sectors behind (backup table). */
const OVERHEAD_MIB = 2;
const MIN_ROOT_MIB = 64;

export interface StorageLayoutInput {
  readonly storage_layout?: unknown;
  readonly root_device?: unknown;
  readonly root_size?: unknown;
  readonly boot_size?: unknown;
  readonly vg_name?: unknown;
  readonly lv_name?: unknown;
  readonly lv_size?: unknown;
}

export interface StorageLayoutChoice {
  readonly layout: 'flat' | 'lvm';
  readonly rootDevice: InstallBlockDevice;
  readonly rootMib: number | null;
  readonly bootMib: number | null;
  readonly vgName: string;
  readonly lvName: string;
  readonly lvMib: number | null;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,126}$/;

function optionalText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** Validates `set_storage_layout` parameters; errors are keyed by field like MAAS form errors. */
export function parseStorageLayoutInput(
  machine: Pick<InstallMachine, 'block_devices' | 'boot_disk' | 'firmware'>,
  input: StorageLayoutInput,
): StorageLayoutChoice {
  const errors: Record<string, string[]> = {};
  const fail = (field: string, message: string): void => {
    (errors[field] ??= []).push(message);
  };
  const layout = optionalText(input.storage_layout);
  if (layout === undefined) fail('storage_layout', 'This field is required.');
  else if (layout !== 'flat' && layout !== 'lvm') {
    fail('storage_layout', `Select a valid choice. ${layout} is not one of the available choices.`);
  }
  const deviceName = optionalText(input.root_device) ?? machine.boot_disk;
  const device =
    deviceName === undefined
      ? machine.block_devices[0]
      : machine.block_devices.find((d) => d.name === deviceName || d.path === deviceName);
  if (device === undefined) {
    fail(
      'root_device',
      deviceName === undefined
        ? 'Machine has no block devices.'
        : `Unknown block device '${deviceName}'.`,
    );
  }
  const diskMib = device === undefined ? 0 : bytesToMib(device.size);
  const firmwareMib = machine.firmware === 'uefi' ? ESP_MIB : BIOS_GRUB_MIB;
  const sizeField = (field: keyof StorageLayoutInput, whole: number): number | null => {
    const raw = optionalText(input[field]);
    if (raw === undefined) return null;
    const parsed = parseSize(raw, whole * MIB);
    if (!parsed.ok) {
      fail(field, parsed.message);
      return null;
    }
    const mib = bytesToMib(parsed.bytes);
    if (mib < 1) fail(field, 'Size must be at least 1 MiB.');
    return mib;
  };
  const bootMib = sizeField('boot_size', diskMib);
  const rootMib = sizeField('root_size', diskMib);
  const vgName = optionalText(input.vg_name) ?? 'vgroot';
  const lvName = optionalText(input.lv_name) ?? 'lvroot';
  if (!NAME.test(vgName)) fail('vg_name', `'${vgName}' is not a valid volume group name.`);
  if (!NAME.test(lvName)) fail('lv_name', `'${lvName}' is not a valid logical volume name.`);
  const lvMib = sizeField('lv_size', rootMib ?? diskMib);
  if (layout === 'flat') {
    for (const field of ['vg_name', 'lv_name', 'lv_size'] as const) {
      if (optionalText(input[field]) !== undefined)
        fail(field, 'Only valid with storage_layout=lvm.');
    }
  }
  if (device !== undefined) {
    const used = OVERHEAD_MIB + firmwareMib + (bootMib ?? 0);
    const room = diskMib - used;
    if (room < MIN_ROOT_MIB) {
      fail(
        'root_device',
        `Block device '${device.name}' is too small (${diskMib} MiB) for this layout.`,
      );
    } else if (rootMib !== null && rootMib > room) {
      fail('root_size', `Size is too large: ${rootMib} MiB requested, ${room} MiB available.`);
    }
    if (lvMib !== null && lvMib > (rootMib ?? room) - 4) {
      fail(
        'lv_size',
        `Size is too large: ${lvMib} MiB requested, ${(rootMib ?? room) - 4} MiB available in the volume group.`,
      );
    }
  }
  if (Object.keys(errors).length > 0 || device === undefined) {
    throw new AppError('MACHINE_STORAGE_LAYOUT_INVALID', 'Invalid storage layout.', {
      details: errors,
    });
  }
  return {
    layout: layout === 'lvm' ? 'lvm' : 'flat',
    rootDevice: device,
    rootMib,
    bootMib,
    vgName,
    lvName,
    lvMib,
  };
}

/** Renders the partition plan of a validated choice. */
export function renderStorageLayout(
  firmware: 'uefi' | 'bios',
  choice: StorageLayoutChoice,
): StorageConfig {
  const partitions: InstallPartition[] = [];
  if (firmware === 'uefi') {
    partitions.push({
      number: 1,
      role: 'esp',
      size_mib: ESP_MIB,
      fstype: 'vfat',
      mount: '/boot/efi',
      label: 'efi',
    });
  } else {
    partitions.push({ number: 1, role: 'bios_grub', size_mib: BIOS_GRUB_MIB });
  }
  if (choice.bootMib !== null) {
    partitions.push({
      number: 2,
      role: 'boot',
      size_mib: choice.bootMib,
      fstype: 'ext4',
      mount: '/boot',
      label: 'boot',
    });
  }
  const number = partitions.length + 1;
  const storage: StorageConfig = { layout: choice.layout, firmware, partitions };
  if (choice.layout === 'flat') {
    partitions.push({
      number,
      role: 'root',
      size_mib: choice.rootMib,
      fstype: 'ext4',
      mount: '/',
      label: 'root',
    });
    return storage;
  }
  partitions.push({ number, role: 'pv', size_mib: choice.rootMib });
  return {
    ...storage,
    lvm: {
      vg: choice.vgName,
      pv_partition: number,
      lvs: [{ name: choice.lvName, size_mib: choice.lvMib, fstype: 'ext4', mount: '/' }],
    },
  };
}

export function installDiskOf(device: InstallBlockDevice): InstallDisk {
  return {
    path: device.path ?? `/dev/${device.name}`,
    size: device.size,
    ...(device.serial === undefined || device.serial === '' ? {} : { serial: device.serial }),
  };
}
