import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DhcpState } from '@kiln/protocol';
import { planDhcp } from './dhcp-plan.js';
import type { DhcpService } from './dhcp-service.js';
import { createDhcpService } from './dhcp-service.js';
import type { NetnsRig } from './netns-rig.test-support.js';
import { createNetnsRig, netnsUnavailableReason } from './netns-rig.test-support.js';

/**
 * Real UEFI firmware (OVMF under qemu TCG) asking Kiln's dnsmasq for a boot file on a tap inside
 * the test's namespace: once with iPXE as the NIC ROM (user class iPXE → ipxe.cfg over HTTP) and
 * once with OVMF's own PXE (option 93 = 7 → bootx64.efi). The firmware prints what it was given on
 * the serial port; nothing is served, the test stops the VM once the file name appears.
 * Opt-in (KILN_TEST_VM=1): about 50 s for both boots.
 */
const QEMU = '/usr/bin/qemu-system-x86_64';
const OVMF = '/usr/share/ovmf/OVMF.fd';
const IPXE_EFI_ROM = '/usr/lib/ipxe/qemu/efi-virtio.rom';

function unavailableReason(): string | null {
  if (process.env.KILN_TEST_VM !== '1')
    return 'opt-in: set KILN_TEST_VM=1 to boot firmware (about 50 s)';
  for (const [file, pkg] of [
    [QEMU, 'qemu-system-x86'],
    [OVMF, 'ovmf'],
    [IPXE_EFI_ROM, 'ipxe-qemu'],
  ] as const) {
    if (!existsSync(file)) return `${file} is missing (Debian package ${pkg})`;
  }
  return netnsUnavailableReason();
}

const unavailable = unavailableReason();
if (unavailable !== null) console.warn(`Skipping the firmware DHCP tests: ${unavailable}`);

describe.skipIf(unavailable !== null)(
  'UEFI firmware gets its boot file from Kiln’s dnsmasq',
  () => {
    let rig: NetnsRig;
    let service: DhcpService;
    let tap: NonNullable<NetnsRig['tap']>;

    beforeAll(async () => {
      rig = await createNetnsRig({ withTap: true });
      if (rig.tap === null) throw new Error('rig without tap');
      tap = rig.tap;
      service = createDhcpService({
        dnsmasqPath: rig.dnsmasqWrapper,
        dataDir: rig.dir,
        logger: pino({ level: 'silent' }),
      });
      const prefix = tap.address.slice(0, tap.address.lastIndexOf('.') + 1);
      const state: DhcpState = {
        version: 1,
        subnets: [{ id: 1, cidr: tap.cidr, gateway_ip: null, dns_servers: [], vlan: 1 }],
        vlans: [{ id: 1, vid: 0, dhcp_on: true, primary_rack: 'rack-1' }],
        ipranges: [
          { id: 1, type: 'dynamic', start_ip: `${prefix}100`, end_ip: `${prefix}150`, subnet: 1 },
        ],
        hosts: [],
      };
      const plan = planDhcp(state, 'rack-1', [
        { name: tap.name, addresses: [`${tap.address}/24`] },
      ]);
      expect((await service.apply({ mode: 'managed', plan })).health.state).toBe('running');
    });

    afterAll(async () => {
      try {
        await service.stop();
      } finally {
        await rig.destroy();
      }
    });

    /** Boots until the serial log matches `pattern`, then stops the VM; returns the match. */
    async function bootUntil(romfile: string, pattern: RegExp, name: string): Promise<string> {
      const serial = join(rig.dir, `${name}.serial`);
      const args = [
        'netns',
        'exec',
        rig.serverNs,
        QEMU,
        '-machine',
        'pc',
        '-accel',
        'tcg',
        '-m',
        '256',
      ];
      args.push('-display', 'none', '-no-reboot', '-bios', OVMF, '-serial', `file:${serial}`);
      args.push('-netdev', `tap,id=n0,ifname=${tap.name},script=no,downscript=no`);
      args.push(
        '-device',
        `virtio-net-pci,netdev=n0,mac=52:54:00:77:00:01,romfile=${romfile},bootindex=1`,
      );
      const vm = spawn('ip', args, { stdio: 'ignore' });
      const exited = new Promise((resolve) => vm.once('exit', resolve));
      try {
        const deadline = Date.now() + 120_000;
        while (Date.now() < deadline) {
          const text = existsSync(serial)
            ? (await readFile(serial, 'utf8')).replaceAll('\u001b', '')
            : '';
          const match = pattern.exec(text)?.[1];
          if (match !== undefined) return match;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        throw new Error(`firmware never printed ${String(pattern)}`);
      } finally {
        vm.kill('SIGKILL');
        await exited;
      }
    }

    it('sends iPXE (in the NIC ROM) to ipxe.cfg on the rack over HTTP', async () => {
      const filename = await bootUntil(IPXE_EFI_ROM, /Filename: (\S+)/, 'ipxe');
      expect(filename).toBe(`http://${tap.address}:5248/ipxe.cfg`);
    }, 150_000);

    it('sends OVMF’s own PXE client (option 93 = 7) to bootx64.efi', async () => {
      const filename = await bootUntil('', /NBP filename is (\S+)/, 'ovmf-pxe');
      expect(filename).toBe('bootx64.efi');
    }, 150_000);
  },
);
