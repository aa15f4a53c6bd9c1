/** What the built-in scripts print (docs/commissioning.md), for a 2-CPU, 2 GiB, one-disk machine. */
export function inventoryFiles(mac: string): Record<string, string> {
  return {
    '00-cpu.out': JSON.stringify({
      cpu: { count: 2, model: 'Test CPU', sockets: 1, architecture: 'x86_64' },
    }),
    '05-platform.out': JSON.stringify({
      platform: { firmware: 'uefi', kernel: '6.1.0', vendor: 'QEMU', product: 'PC', serial: null },
    }),
    '10-memory.out': JSON.stringify({ memory: { total_bytes: 2147483648, total_mib: 2048 } }),
    '20-storage.out': JSON.stringify({
      lsblk: {
        blockdevices: [
          {
            name: 'vda',
            size: 21474836480,
            model: 'QEMU DISK',
            serial: 'S1',
            rota: false,
            type: 'disk',
            tran: null,
            wwn: null,
          },
        ],
      },
    }),
    '30-network.out': JSON.stringify({
      interfaces: [
        {
          name: 'ens3',
          mac_address: mac,
          operstate: 'up',
          link: true,
          speed_mbps: 1000,
          mtu: 1500,
          arp_type: 1,
          driver: 'virtio_net',
          physical: true,
        },
      ],
    }),
  };
}
