import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DhcpState } from '@kiln/protocol';
import { planDhcp } from './dhcp-plan.js';
import type { DhcpService } from './dhcp-service.js';
import { createDhcpService } from './dhcp-service.js';
import type { NetnsRig } from './netns-rig.test-support.js';
import { createNetnsRig, netnsUnavailableReason } from './netns-rig.test-support.js';

/**
 * The real dnsmasq, run by the supervisor with the rendered configuration, answering a real DHCP
 * client (busybox udhcpc) across a veth pair between two network namespaces this test creates.
 */
const unavailable = netnsUnavailableReason();
if (unavailable !== null)
  console.warn(`Skipping the dnsmasq network namespace tests: ${unavailable}`);

const KNOWN_MAC = '52:54:00:4b:00:01';

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(unavailable !== null)(
  'DHCP service with the real dnsmasq in a network namespace',
  () => {
    let rig: NetnsRig;
    let service: DhcpService;
    let state: DhcpState;
    const registry = new Registry();
    const gauge = async (name: string): Promise<number | undefined> =>
      (await registry.getMetricsAsJSON()).find((metric) => metric.name === name)?.values[0]?.value;
    const plan = () =>
      planDhcp(state, 'rack-1', [
        { name: rig.serverIface, addresses: [`${rig.serverAddress}/24`] },
      ]);
    const prefix = () => rig.serverAddress.slice(0, rig.serverAddress.lastIndexOf('.') + 1);

    beforeAll(async () => {
      rig = await createNetnsRig();
      service = createDhcpService({
        dnsmasqPath: rig.dnsmasqWrapper,
        dataDir: rig.dir,
        logger: pino({ level: 'silent' }),
        metricsRegistry: registry,
        restartDelayMs: 50,
        maxRestartDelayMs: 200,
      });
      state = {
        version: 1,
        subnets: [
          {
            id: 7,
            cidr: rig.subnetCidr,
            gateway_ip: rig.serverAddress,
            dns_servers: ['10.213.0.53'],
            vlan: 1,
          },
        ],
        vlans: [{ id: 1, vid: 0, dhcp_on: false, primary_rack: 'rack-1' }],
        ipranges: [
          {
            id: 1,
            type: 'dynamic',
            start_ip: `${prefix()}100`,
            end_ip: `${prefix()}150`,
            subnet: 7,
          },
        ],
        hosts: [{ mac: KNOWN_MAC, ip: `${prefix()}42`, hostname: 'known-node' }],
      };
    });

    afterAll(async () => {
      try {
        await service.stop();
      } finally {
        await rig.destroy();
      }
    });

    it('runs no dnsmasq until a VLAN has DHCP on', async () => {
      const result = await service.apply({ mode: 'managed', plan: plan() });
      expect(result.health).toMatchObject({ state: 'disabled', running: false, pid: null });
      expect(result.health.skipped).toEqual([
        { subnetId: 7, cidr: rig.subnetCidr, reason: 'DHCP is off on VLAN 0' },
      ]);
    });

    it('starts dnsmasq once DHCP is on, writing the rendered config', async () => {
      state = {
        ...state,
        version: 2,
        vlans: [{ id: 1, vid: 0, dhcp_on: true, primary_rack: 'rack-1' }],
      };
      const result = await service.apply({ mode: 'managed', plan: plan() });
      expect(result.changed).toBe(true);
      expect(result.health).toMatchObject({
        state: 'running',
        running: true,
        restarts: 0,
        configVersion: 2,
      });
      expect(result.health.pid).toEqual(expect.any(Number));
      const text = await readFile(result.health.configFile, 'utf8');
      expect(text).toContain(`interface=${rig.serverIface}\n`);
      expect(text).toContain('port=0\n');
    });

    it('gives a BIOS PXE client an address from the dynamic range and lpxelinux.0 from the rack', async () => {
      const lease = await rig.requestLease({
        mac: '52:54:00:4b:10:01',
        clientArch: 0,
        vendorClass: 'PXEClient:Arch:00000:UNDI:002001',
      });
      const last = Number(lease.ip?.split('.')[3]);
      expect(lease.ip?.startsWith(prefix())).toBe(true);
      expect(last).toBeGreaterThanOrEqual(100);
      expect(last).toBeLessThanOrEqual(150);
      expect(lease.boot_file).toBe('lpxelinux.0');
      expect(lease.siaddr).toBe(rig.serverAddress);
      expect(lease.router).toBe(rig.serverAddress);
      expect(lease.dns).toBe('10.213.0.53');
      // dnsmasq runs unprivileged after binding; the lease still lands in the data dir.
      const leases = await readFile(join(rig.dir, 'dhcp', 'dnsmasq.leases'), 'utf8');
      expect(leases).toContain(`52:54:00:4b:10:01 ${lease.ip ?? '?'} `);
    });

    it('gives a UEFI x64 client bootx64.efi', async () => {
      const lease = await rig.requestLease({
        mac: '52:54:00:4b:10:02',
        clientArch: 7,
        vendorClass: 'PXEClient:Arch:00007:UNDI:003016',
      });
      expect(lease.boot_file).toBe('bootx64.efi');
      expect(lease.siaddr).toBe(rig.serverAddress);
    });

    it('gives a UEFI HTTP client an http:// URL and vendor class HTTPClient', async () => {
      const lease = await rig.requestLease({
        mac: '52:54:00:4b:10:03',
        clientArch: 16,
        vendorClass: 'HTTPClient:Arch:00016',
      });
      expect(lease.boot_file).toBe(`http://${rig.serverAddress}:5248/images/bootx64.efi`);
      expect(lease.vendor).toBe('HTTPClient');
    });

    it('sends iPXE (user class iPXE) to ipxe.cfg over HTTP, and gives a known MAC its reservation and host name', async () => {
      const lease = await rig.requestLease({ mac: KNOWN_MAC, clientArch: 0, userClass: 'iPXE' });
      expect(lease.ip).toBe(`${prefix()}42`);
      expect(lease.hostname).toBe('known-node');
      expect(lease.boot_file).toBe(`http://${rig.serverAddress}:5248/ipxe.cfg`);
    });

    it('does not restart dnsmasq when the rendered config is unchanged', async () => {
      const before = service.health();
      const result = await service.apply({ mode: 'managed', plan: plan() });
      expect(result.changed).toBe(false);
      expect(result.health.pid).toBe(before.pid);
      expect(result.health.restarts).toBe(0);
    });

    it('restarts dnsmasq when it dies and reports it', async () => {
      const before = service.health();
      if (before.pid === null) throw new Error('dnsmasq should be running');
      process.kill(before.pid, 'SIGKILL');
      await until(
        () => service.health().state === 'running' && service.health().pid !== before.pid,
        'a restarted dnsmasq',
      );
      const after = service.health();
      expect(after.restarts).toBe(1);
      expect(after.lastError).toContain('signal SIGKILL');
      expect(await gauge('kiln_rack_dhcp_restarts')).toBe(1);
      expect(await gauge('kiln_rack_dhcp_running')).toBe(1);
      const lease = await rig.requestLease({ mac: '52:54:00:4b:10:04', clientArch: 7 });
      expect(lease.boot_file).toBe('bootx64.efi');
    });

    it('restarts with the new config when the state changes', async () => {
      const before = service.health();
      state = {
        ...state,
        version: 3,
        hosts: [
          ...state.hosts,
          { mac: '52:54:00:4b:00:02', ip: `${prefix()}43`, hostname: 'second-node' },
        ],
      };
      const result = await service.apply({ mode: 'managed', plan: plan() });
      expect(result.changed).toBe(true);
      expect(result.health.pid).not.toBe(before.pid);
      expect(result.health.configVersion).toBe(3);
      const lease = await rig.requestLease({ mac: '52:54:00:4b:00:02' });
      expect(lease.ip).toBe(`${prefix()}43`);
    });

    it('merges a burst of changes into one restart with the newest state', async () => {
      const before = service.health();
      const burst = [4, 5, 6, 7, 8].map((version) => {
        state = {
          ...state,
          version,
          hosts: [
            ...state.hosts,
            {
              mac: `52:54:00:4b:01:0${version}`,
              ip: `${prefix()}6${version}`,
              hostname: `burst-${version}`,
            },
          ],
        };
        return service.apply({ mode: 'managed', plan: plan() });
      });
      const results = await Promise.all(burst);
      expect(new Set(results.map((result) => result.health.pid)).size).toBe(1);
      expect(results.every((result) => result.health.configVersion === 8)).toBe(true);
      expect(results[0]?.health.pid).not.toBe(before.pid);
      const lease = await rig.requestLease({ mac: '52:54:00:4b:01:08' });
      expect(lease.ip).toBe(`${prefix()}68`);
    });

    it('refuses a config dnsmasq rejects and keeps the running one', async () => {
      const before = service.health();
      await expect(
        service.apply({ mode: 'managed', plan: plan(), leaseSeconds: -5 }),
      ).rejects.toMatchObject({
        code: 'DHCP_CONFIG_INVALID',
      });
      expect(service.health()).toMatchObject({
        state: 'running',
        pid: before.pid,
        configVersion: 8,
      });
    });

    it('rolls back to the working config when dnsmasq will not start with a new one', async () => {
      const broken = { ...state, version: 9 };
      const gone = planDhcp(broken, 'rack-1', [
        { name: 'kdgone0', addresses: [`${rig.serverAddress}/24`] },
      ]);
      await expect(service.apply({ mode: 'managed', plan: gone })).rejects.toMatchObject({
        code: 'DHCP_START_FAILED',
      });
      expect(service.health()).toMatchObject({ state: 'running', configVersion: 8 });
      expect(await readFile(service.health().configFile, 'utf8')).toContain(
        `interface=${rig.serverIface}\n`,
      );
      const lease = await rig.requestLease({ mac: KNOWN_MAC, clientArch: 7 });
      expect(lease.ip).toBe(`${prefix()}42`);
    });

    it('stops dnsmasq in external (DHCP-only) mode', async () => {
      const pid = service.health().pid;
      if (pid === null) throw new Error('dnsmasq should be running');
      const result = await service.apply({ mode: 'external' });
      expect(result.health).toMatchObject({ state: 'external', running: false, pid: null });
      expect(() => process.kill(pid, 0)).toThrow();
    });
  },
);
