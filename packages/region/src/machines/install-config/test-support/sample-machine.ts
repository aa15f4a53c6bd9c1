import type { InstallMachine } from '../machine-input.js';

/** A machine as the machines module would describe it; tests override what they exercise. */
export function sampleMachine(overrides: Partial<InstallMachine> = {}): InstallMachine {
  return {
    system_id: 'x7k2pq',
    hostname: 'node1',
    domain: 'maas',
    architecture: 'amd64/generic',
    osystem: 'ubuntu',
    distro_series: 'noble',
    firmware: 'uefi',
    block_devices: [
      { name: 'sda', size: 100 * 1000 ** 3, serial: 'QM0001', model: 'QEMU HARDDISK' },
      { name: 'sdb', size: 50 * 1000 ** 3 },
    ],
    interfaces: [
      {
        name: 'eth0',
        type: 'physical',
        mac_address: '52:54:00:AA:BB:01',
        mtu: 1500,
        links: [
          {
            mode: 'auto',
            ip_address: '10.0.0.21',
            subnet: { cidr: '10.0.0.0/24', gateway_ip: '10.0.0.1', dns_servers: ['10.0.0.2'] },
          },
        ],
      },
    ],
    ...overrides,
  };
}
