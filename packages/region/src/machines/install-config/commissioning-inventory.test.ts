import { describe, expect, it } from 'vitest';
import { parseCommissioningInventory } from './commissioning-inventory.js';
import { summariseInventory } from './inventory-summary.js';

const cpu = JSON.stringify({
  cpu: { count: 4, model: 'Intel Xeon', sockets: 1, architecture: 'x86_64' },
});
const memory = JSON.stringify({ memory: { total_bytes: 8 * 2 ** 30, total_mib: 8192 } });
const nics = JSON.stringify({
  interfaces: [
    {
      name: 'eth0',
      mac_address: '52:54:00:12:34:56',
      operstate: 'up',
      link: true,
      speed_mbps: 1000,
      mtu: 1500,
      arp_type: 1,
      driver: 'virtio_net',
      physical: true,
    },
    {
      name: 'bond0',
      mac_address: '52:54:00:12:34:57',
      operstate: 'down',
      link: null,
      speed_mbps: null,
      mtu: 1500,
      arp_type: 1,
      driver: '',
      physical: false,
    },
  ],
});

describe('commissioning inventory', () => {
  it('merges fragments, keeps real disks, accepts old lsblk strings, ignores other output', () => {
    const lsblk = JSON.stringify({
      lsblk: {
        blockdevices: [
          {
            name: 'sda',
            size: '500107862016',
            model: 'Samsung SSD ',
            serial: 'S3Z',
            rota: '0',
            type: 'disk',
          },
          {
            name: 'sdb',
            size: 4000787030016,
            model: null,
            serial: null,
            rota: true,
            type: 'disk',
            tran: 'sata',
            wwn: '0x5000',
          },
          { name: 'loop0', size: 1000, model: null, serial: null, rota: false, type: 'loop' },
          { name: 'zram0', size: 0, model: null, serial: null, rota: false, type: 'disk' },
          { name: 'sr0', size: 1024, model: 'DVD', serial: null, rota: true, type: 'rom' },
        ],
      },
    });
    const inv = parseCommissioningInventory([cpu, 'not json at all', memory, lsblk, nics]);
    expect(inv.cpu.count).toBe(4);
    expect(inv.memory.total_mib).toBe(8192);
    expect(inv.block_devices).toEqual([
      {
        name: 'sda',
        size: 500107862016,
        model: 'Samsung SSD',
        serial: 'S3Z',
        rotational: false,
        transport: null,
        wwn: null,
      },
      {
        name: 'sdb',
        size: 4000787030016,
        model: null,
        serial: null,
        rotational: true,
        transport: 'sata',
        wwn: '0x5000',
      },
    ]);
    expect(inv.interfaces.map((n) => [n.name, n.driver, n.speed_mbps])).toEqual([
      ['eth0', 'virtio_net', 1000],
      ['bond0', null, null],
    ]);
  });

  it.each([
    ['no cpu fragment', [memory, JSON.stringify({ lsblk: { blockdevices: [] } }), nics], 'cpu'],
    ['no lsblk fragment', [cpu, memory, nics], 'lsblk'],
    [
      'a bad MAC',
      [
        cpu,
        memory,
        JSON.stringify({ lsblk: { blockdevices: [] } }),
        nics.replace('52:54:00:12:34:56', 'zz'),
      ],
      'mac_address',
    ],
  ])('%s → MACHINE_INVENTORY_INVALID naming the field', (_name, outputs, field) => {
    expect(() => parseCommissioningInventory(outputs)).toThrow(
      expect.objectContaining({
        code: 'MACHINE_INVENTORY_INVALID',
        message: expect.stringContaining(field) as unknown,
      }),
    );
  });
});

describe('inventory summary (machine fields)', () => {
  it('maps to MAAS field names and units', () => {
    const lsblk = JSON.stringify({
      lsblk: {
        blockdevices: [
          { name: 'vda', size: 10e9, model: null, serial: 'S1', rota: true, type: 'disk' },
          { name: 'vdb', size: 5e9, model: 'M', serial: null, rota: false, type: 'disk' },
        ],
      },
    });
    const platform = JSON.stringify({
      platform: { firmware: 'uefi', kernel: '6.1', vendor: 'QEMU', product: null, serial: null },
    });
    const summary = summariseInventory(
      parseCommissioningInventory([cpu, memory, lsblk, nics, platform]),
    );
    expect(summary).toMatchObject({
      cpu_count: 4,
      memory: 8192,
      storage: 15000,
      architecture: 'amd64/generic',
      firmware: 'uefi',
    });
    expect(summary.block_devices[0]).toEqual({
      name: 'vda',
      path: '/dev/vda',
      size: 10e9,
      model: '',
      serial: 'S1',
      rotational: true,
    });
    expect(summary.interfaces.map((n) => [n.name, n.link_connected, n.interface_speed])).toEqual([
      ['eth0', true, 1000],
      ['bond0', false, 0],
    ]);
  });
});
