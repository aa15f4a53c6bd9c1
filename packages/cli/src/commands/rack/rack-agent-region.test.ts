import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDhcpPoller,
  createRegionApi,
  renderDnsmasqConfig,
  startRackAgent,
  type DhcpApplyInput,
  type DhcpService,
  type RunningRackAgent,
} from '@kiln/rack';
import { getOrCreateRackSecret } from '@kiln/region';
import { apiFetch, formBody } from '@kiln/region/testing';
import {
  closedPort,
  quietLogger,
  sha256,
  startCountingProxy,
  startImportedRegion,
  type CountingProxy,
  type ImportedRegion,
} from './test-support.js';
import { registerRackCommands } from './index.js';

const run = promisify(execFile);

async function kiln(args: string[]): Promise<string> {
  let out = '';
  const program = new Command('kiln').exitOverride().configureOutput({
    writeOut: (text) => (out += text),
    writeErr: (text) => (out += text),
  });
  registerRackCommands(program, { env: {} });
  await program.parseAsync(['node', 'kiln', ...args]);
  return out;
}
const rackInterface = { name: 'kiln-test0', addresses: ['10.77.0.2/24'] };

/**
 * One real region that imported the testkit stream, a counting proxy in front of it, and a real
 * rack agent whose first region URL is a closed port (so every call exercises failover).
 */
describe('rack agent against a real region', () => {
  let imported: ImportedRegion;
  let proxy: CountingProxy;
  let agent: RunningRackAgent;
  let dataDir: string;
  let work: string;
  const rackUrl = (path: string) => `http://127.0.0.1:${String(agent.httpPort)}/${path}`;
  const api = (path: string, init: RequestInit = {}) =>
    apiFetch(imported.region.url, path, { ...init, apiKey: imported.region.adminApiKey });

  beforeAll(async () => {
    imported = await startImportedRegion();
    proxy = await startCountingProxy(imported.region.url);
    dataDir = await mkdtemp(join(tmpdir(), 'kiln-rack-'));
    work = await mkdtemp(join(tmpdir(), 'kiln-rack-out-'));
    agent = await startRackAgent({
      dataDir,
      regionUrls: [`http://127.0.0.1:${String(await closedPort())}/MAAS/`, proxy.url],
      secret: await getOrCreateRackSecret(imported.region.region.db),
      logger: quietLogger(),
      listenAddress: '127.0.0.1',
      httpPort: 0,
      tftpPort: 0,
      hostname: 'rack-e2e',
      heartbeatIntervalMs: 200,
      bootAnswerTtlMs: 1,
      // What the rack reports to the region; the DHCP test plans against the same interface.
      interfaces: () => [rackInterface],
      // DHCP-only mode: an existing DHCP server points at the rack; metrics still report it.
      dhcp: { mode: 'external' },
    });
    await agent.registered;
  }, 120_000);

  afterAll(async () => {
    await agent.close();
    await proxy.close();
    await imported.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('registers through the second region URL and is listed with its fields', async () => {
    const list = (await (await api('rackcontrollers/')).json()) as Record<string, unknown>[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      system_id: agent.identity.system_id,
      hostname: 'rack-e2e',
      node_type_name: 'Rack controller',
    });
    const services = list[0]?.service_set as { name: string; status: string }[];
    expect(services.find((s) => s.name === 'tftp')?.status).toBe('running');
    const identity = JSON.parse(await readFile(join(dataDir, 'rack-id.json'), 'utf8')) as unknown;
    expect(identity).toEqual({ system_id: agent.identity.system_id, hostname: 'rack-e2e' });
    expect(await agent.registration.beat()).toBe(true);
  });

  it("names the rack's real HTTP port in every URL of a boot config, and each URL answers", async () => {
    const port = String(agent.httpPort);
    expect(port).not.toBe('5248');
    const ipxe = await (await fetch(rackUrl('ipxe.cfg-52:54:00:aa:00:09'))).text();
    const urls = [...ipxe.matchAll(/https?:\/\/[^\s]+/g)].map((m) => m[0]);
    // kernel, initrd, squashfs root and the cloud-config-url of the enlistment preseed
    expect(urls.length).toBeGreaterThanOrEqual(4);
    expect(urls.some((u) => u.includes('/MAAS/metadata/'))).toBe(true);
    for (const url of urls) {
      expect(new URL(url).port, url).toBe(port);
      // The squashfs is only checked by port: fetching it would add a third file to the cache
      // that the cache-list test counts (kernel and initrd are cached by the tests above anyway).
      if (/squashfs/.test(url)) continue;
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
      await response.body?.cancel();
    }
    const bootstrap = await (await fetch(rackUrl('ipxe.cfg'))).text();
    expect(bootstrap).toContain(`set kiln-base http://127.0.0.1:${port}`);
  });

  it('gives an unknown MAC the enlist config over HTTP and TFTP; all clients get identical kernel and initrd; the region sees one fetch per file', async () => {
    const ipxe = await (await fetch(rackUrl('ipxe.cfg-52:54:00:aa:00:01'))).text();
    expect(ipxe).toContain('enlist ubuntu/noble');
    const tftpPort = String(agent.tftpPort);
    await run('curl', [
      '-sS',
      '-o',
      join(work, 'pxe.cfg'),
      `tftp://127.0.0.1:${tftpPort}/pxelinux.cfg/01-52-54-00-aa-00-02`,
    ]);
    const pxe = await readFile(join(work, 'pxe.cfg'), 'utf8');
    expect(pxe).toContain('enlist ubuntu/noble');
    expect(pxe).toMatch(/KERNEL http:\/\/127\.0\.0\.1:\d+\/images\/[0-9a-f]{64}\//);
    const paths = [...ipxe.matchAll(/\/images\/([0-9a-f]{64})(\/[^\s]*)?/g)].map((m) => ({
      sha: m[1] ?? '',
      path: `images/${m[1] ?? ''}${m[2] ?? ''}`,
    }));
    const kernelAndInitrd = paths.filter(
      (p, i) => paths.findIndex((q) => q.sha === p.sha) === i && !/squashfs|root/.test(p.path),
    );
    expect(kernelAndInitrd).toHaveLength(2);
    for (const { sha, path } of kernelAndInitrd) {
      const viaHttp = join(work, `${sha}.http`);
      const viaCurlTftp = join(work, `${sha}.curl-tftp`);
      const viaAtftp = join(work, `${sha}.atftp`);
      await run('curl', [
        '-sSf',
        '-o',
        viaHttp,
        `http://127.0.0.1:${String(agent.httpPort)}/${path}`,
      ]);
      await run('curl', [
        '-sS',
        '--tftp-blksize',
        '1428',
        '-o',
        viaCurlTftp,
        `tftp://127.0.0.1:${tftpPort}/${path}`,
      ]);
      await run('atftp', [
        '--get',
        '-r',
        path,
        '-l',
        viaAtftp,
        '--option',
        'blksize 1428',
        '--option',
        'windowsize 16',
        '127.0.0.1',
        tftpPort,
      ]);
      for (const file of [viaHttp, viaCurlTftp, viaAtftp])
        expect(sha256(await readFile(file)), file).toBe(sha);
      expect(proxy.fetches.get(sha)).toBe(1);
    }
  });

  it('gives a machine in COMMISSIONING the commissioning config', async () => {
    const mac = '52:54:00:aa:00:10';
    const created = await api('machines/', {
      method: 'POST',
      body: formBody({ architecture: 'amd64/generic', mac_addresses: mac, power_type: 'manual' }),
    });
    expect(created.status).toBe(200);
    const { system_id: id } = (await created.json()) as { system_id: string };
    const commission = await api(`machines/${id}/?op=commission`, { method: 'POST' });
    expect(commission.status).toBe(200);
    expect(((await commission.json()) as { status_name: string }).status_name).toBe(
      'Commissioning',
    );
    const ipxe = await (await fetch(rackUrl(`ipxe.cfg-${mac}`))).text();
    expect(ipxe).toContain('commissioning ubuntu/noble');
    await run('curl', [
      '-sS',
      '-o',
      join(work, 'grub.cfg'),
      `tftp://127.0.0.1:${String(agent.tftpPort)}/grub/grub.cfg-${mac}`,
    ]);
    expect(await readFile(join(work, 'grub.cfg'), 'utf8')).toContain('commissioning ubuntu/noble');
  });

  it('serves Prometheus metrics (cache, TFTP, DHCP) on the rack HTTP port', async () => {
    const response = await fetch(rackUrl('metrics'));
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const name of [
      'kiln_rack_cache_',
      'kiln_tftp_',
      'kiln_rack_dhcp',
      'kiln_rack_boot_answers_total',
    ])
      expect(text, name).toContain(name);
    expect(text).toMatch(/kiln_rack_dhcp_running(\{[^}]*\})? 0/);
    const status = (await (await fetch(rackUrl('agent/status'))).json()) as {
      dhcp: { state: string };
      registered: boolean;
    };
    expect(status).toMatchObject({ registered: true, dhcp: { state: 'external' } });
  });

  it('renders the region DHCP state through planDhcp: the served subnet, its range and a reservation per machine MAC', async () => {
    const put = (path: string, params: Record<string, string>) =>
      api(path, { method: 'PUT', body: new URLSearchParams(params) });
    const subnet = await api('subnets/', {
      method: 'POST',
      body: formBody({ cidr: '10.77.0.0/24', gateway_ip: '10.77.0.1', dns_servers: '10.77.0.1' }),
    });
    expect(subnet.status).toBe(200);
    const range = await api('ipranges/', {
      method: 'POST',
      body: formBody({ type: 'dynamic', start_ip: '10.77.0.100', end_ip: '10.77.0.150' }),
    });
    expect(range.status).toBe(200);
    const vlan = await put('fabrics/1/vlans/0/', {
      dhcp_on: 'true',
      primary_rack: agent.identity.system_id,
    });
    expect(vlan.status).toBe(200);
    const machine = await api('machines/', {
      method: 'POST',
      body: formBody({
        architecture: 'amd64/generic',
        mac_addresses: '52:54:00:aa:00:77',
        power_type: 'manual',
      }),
    });
    expect(machine.status).toBe(200);
    const applied: DhcpApplyInput[] = [];
    // The dnsmasq process itself is exercised in dhcp/ (network namespace tests); here the
    // region → plan → configuration path is what matters.
    const service: Pick<DhcpService, 'apply'> = {
      apply: (input) => {
        applied.push(input);
        return Promise.resolve({ changed: true, health: {} as ReturnType<DhcpService['health']> });
      },
    };
    const poller = createDhcpPoller({
      api: createRegionApi({
        regionUrls: [proxy.url],
        secret: await getOrCreateRackSecret(imported.region.region.db),
        logger: quietLogger(),
      }),
      secret: await getOrCreateRackSecret(imported.region.region.db),
      systemId: agent.identity.system_id,
      service,
      interfaces: () => [rackInterface],
      logger: quietLogger(),
    });
    await poller.poll();
    const input = applied[0];
    if (input?.mode !== 'managed') throw new Error('expected a managed DHCP apply');
    expect(input.plan.subnets.map((s) => [s.cidr, s.interfaceName, s.rackAddress])).toEqual([
      ['10.77.0.0/24', 'kiln-test0', '10.77.0.2'],
    ]);
    const text = renderDnsmasqConfig(input.plan, { leaseFile: join(work, 'leases') });
    expect(text).toContain('10.77.0.100');
    // One fixed address per known machine MAC, outside the dynamic range and off the gateway/rack.
    for (const mac of ['52:54:00:aa:00:10', '52:54:00:aa:00:77'])
      expect(text).toMatch(new RegExp(`dhcp-host=${mac},10\\.77\\.0\\.([3-9]|[1-9][0-9]),`));
  });

  it('kiln rack cache list|pin|unpin|warm talk to the running agent', async () => {
    const url = `http://127.0.0.1:${String(agent.httpPort)}`;
    const listed = await kiln(['rack', 'cache', 'list', '--rack-url', url]);
    expect(listed).toMatch(/^2 files, /);
    const sha = /^([0-9a-f]{64}) +complete/m.exec(listed)?.[1] ?? '';
    expect(sha).not.toBe('');
    expect(await kiln(['rack', 'cache', 'pin', sha, '--rack-url', url])).toContain(`${sha} pinned`);
    expect(agent.cache.list().find((e) => e.sha256 === sha)?.pinned).toBe(true);
    expect(await kiln(['rack', 'cache', 'unpin', sha, '--rack-url', url])).toContain('unpinned');
    expect(agent.cache.list().find((e) => e.sha256 === sha)?.pinned).toBe(false);
    const fetchesBefore = proxy.fetches.get(sha);
    expect(await kiln(['rack', 'cache', 'warm', sha, '--rack-url', url])).toContain('cached');
    expect(proxy.fetches.get(sha)).toBe(fetchesBefore);
    await expect(kiln(['rack', 'cache', 'pin', 'nothex', '--rack-url', url])).rejects.toThrow(
      /Not a sha256/,
    );
  });

  it('serves bootloaders from the region’s unpacked tree over HTTP and TFTP (mirrored on the rack)', async () => {
    // The fixture stream's bootloader archives are not real tarballs, so the file is placed where
    // the importer unpacks bootloaders (image-storage/bootloaders/<type>/<arch>/).
    const loader = Buffer.from(`lpxelinux stand-in ${'x'.repeat(5000)}`);
    const dir = join(imported.region.config.dataDir, 'image-storage', 'bootloaders', 'pxe', 'i386');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'lpxelinux.0'), loader);
    const viaHttp = Buffer.from(await (await fetch(rackUrl('lpxelinux.0'))).arrayBuffer());
    expect(viaHttp.equals(loader)).toBe(true);
    await run('curl', [
      '-sS',
      '-o',
      join(work, 'lpxelinux.0'),
      `tftp://127.0.0.1:${String(agent.tftpPort)}/lpxelinux.0`,
    ]);
    expect((await readFile(join(work, 'lpxelinux.0'))).equals(loader)).toBe(true);
    expect(
      (await readFile(join(dataDir, 'bootloaders', 'pxe', 'i386', 'lpxelinux.0'))).equals(loader),
    ).toBe(true);
    expect((await fetch(rackUrl('nosuch.efi'))).status).toBe(404);
  });
});
