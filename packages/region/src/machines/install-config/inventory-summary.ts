import type { CommissioningInventory } from './commissioning-inventory.js';

/**
 * The machine fields MAAS fills from commissioning, derived from Kiln's inventory: what the
 * machines API shows (`cpu_count`, `memory` in MiB, `storage` in MB, `architecture`) and the rows
 * of its block devices and interfaces (MAAS field names).
 */

/** Kernel machine names → Debian architectures (MAAS's `architecture` is `<debian arch>/generic`). */
const DEBIAN_ARCH: Readonly<Record<string, string>> = {
  x86_64: 'amd64',
  i686: 'i386',
  i386: 'i386',
  aarch64: 'arm64',
  armv7l: 'armhf',
  ppc64le: 'ppc64el',
  s390x: 's390x',
  riscv64: 'riscv64',
};

export interface InventorySummary {
  readonly cpu_count: number;
  readonly cpu_model: string;
  readonly memory: number;
  readonly storage: number;
  readonly architecture: string;
  readonly firmware: 'uefi' | 'bios' | null;
  readonly block_devices: {
    name: string;
    path: string;
    size: number;
    model: string;
    serial: string;
    rotational: boolean;
  }[];
  readonly interfaces: {
    name: string;
    mac_address: string;
    link_connected: boolean;
    interface_speed: number;
    physical: boolean;
  }[];
}

export function summariseInventory(inventory: CommissioningInventory): InventorySummary {
  const arch = DEBIAN_ARCH[inventory.cpu.architecture] ?? inventory.cpu.architecture;
  return {
    cpu_count: inventory.cpu.count,
    cpu_model: inventory.cpu.model,
    memory: inventory.memory.total_mib,
    // MAAS reports storage in (decimal) megabytes.
    storage: Math.floor(inventory.block_devices.reduce((sum, d) => sum + d.size, 0) / 1e6),
    architecture: `${arch}/generic`,
    firmware: inventory.platform?.firmware ?? null,
    block_devices: inventory.block_devices.map((d) => ({
      name: d.name,
      path: `/dev/${d.name}`,
      size: d.size,
      model: d.model ?? '',
      serial: d.serial ?? '',
      rotational: d.rotational,
    })),
    interfaces: inventory.interfaces.map((n) => ({
      name: n.name,
      mac_address: n.mac_address.toLowerCase(),
      link_connected: n.link === true,
      interface_speed: n.speed_mbps ?? 0,
      physical: n.physical,
    })),
  };
}
