import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootFile } from '@kiln/protocol';
import { preseedUrl, rackBaseUrl } from '@kiln/protocol';
import { createBootConfigService } from './boot-config-service.js';
import { ephemeralAnswer } from './fixtures.test-support.js';
import {
  IPXE_EFI_ROM,
  OVMF,
  QEMU,
  buildInitramfs,
  findKernel,
  vmBootUnavailableReason,
} from './vm-boot.test-support.js';

/**
 * Real firmware runs Kiln's iPXE configs: a UEFI qemu VM (OVMF, TCG) with iPXE in its NIC ROM gets
 * `http://<rack>/ipxe.cfg` from qemu's user-mode DHCP, follows the chain to its per-MAC config,
 * fetches kernel and initrd, and boots; its /init prints /proc/cmdline on the serial port.
 * Inside qemu's user network the host's loopback is 10.0.2.2, so that is the rack address here.
 */
const unavailable = vmBootUnavailableReason();
if (unavailable !== null) console.warn(`Skipping the iPXE VM boot test: ${unavailable}`);

const MAC = '52:54:00:12:34:56';
const GUEST_RACK = '10.0.2.2';

describe.skipIf(unavailable !== null)('iPXE boots a VM with Kiln configs', () => {
  let dir: string;
  let server: Server;
  let port: number;
  let vm: ReturnType<typeof spawn> | undefined;
  const requested: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-vmboot-'));
    const files = new Map<string, Buffer>();
    const add = (name: string, data: Buffer): BootFile => {
      const sha256 = createHash('sha256').update(data).digest('hex');
      files.set(sha256, data);
      const path = `${sha256}/ubuntu/amd64/ga-24.04/noble/stable/${name}`;
      return { sha256, name, path, url: `${rackBaseUrl(GUEST_RACK, port)}/images/${path}` };
    };
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    const kernel = add('boot-kernel', await readFile(findKernel() ?? ''));
    const initrd = add('boot-initrd', await buildInitramfs(dir));
    const root = add('squashfs', Buffer.from('not booted in this test'));
    const answer = ephemeralAnswer({
      rack_address: GUEST_RACK,
      log_host: GUEST_RACK,
      kernel,
      initrd,
      root,
      preseed_url: preseedUrl(rackBaseUrl(GUEST_RACK, port), 'commissioning', 'abc123'),
      kernel_opts: 'console=ttyS0 panic=-1',
    });
    const service = createBootConfigService({
      logger: pino({ level: 'silent' }),
      httpPort: () => port,
      source: { lookup: (request) => Promise.resolve(request.mac === MAC ? answer : null) },
    });
    server.on('request', (req, res) => {
      const path = (req.url ?? '/').replace(/^\/+/, '');
      requested.push(path);
      void (async () => {
        const image = /^images\/([0-9a-f]{64})\//.exec(path);
        const data = image?.[1] === undefined ? undefined : files.get(image[1]);
        const rendered = service.isBootConfigPath(path)
          ? await service.render(path, {
              rackAddress: GUEST_RACK,
              remoteAddress: null,
              protocol: 'http',
            })
          : null;
        const body = data ?? (rendered === null ? undefined : Buffer.from(rendered.body));
        res.writeHead(body === undefined ? 404 : 200, {
          'content-length': String(body?.length ?? 0),
        });
        res.end(body);
      })();
    });
  });

  afterAll(async () => {
    vm?.kill('SIGKILL');
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('chains ipxe.cfg → ipxe.cfg-<mac> → kernel with the MAAS command line', async () => {
    const serial = join(dir, 'serial.log');
    const args = [
      ...[
        '-machine',
        'pc',
        '-accel',
        'tcg',
        '-m',
        '512',
        '-smp',
        '1',
        '-display',
        'none',
        '-bios',
        OVMF,
      ],
      ...['-serial', `file:${serial}`, '-no-reboot'],
      ...['-netdev', `user,id=n0,bootfile=${rackBaseUrl(GUEST_RACK, port)}/ipxe.cfg`],
      ...['-device', `virtio-net-pci,netdev=n0,mac=${MAC},romfile=${IPXE_EFI_ROM},bootindex=1`],
    ];
    const child = spawn(QEMU, args, { stdio: 'ignore' });
    vm = child;
    // Bounded: a boot that goes wrong must not hang the suite.
    const killer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    try {
      await new Promise((resolve) => child.once('exit', resolve));
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
    const log = await readFile(serial, 'utf8');
    // The EFI stub sees iPXE's image name first (`boot-kernel initrd=...`); serial output may carry NULs.
    const cmdline = /KILN-CMDLINE:(.*?)KILN-END/s
      .exec(log.replaceAll('\0', ''))?.[1]
      ?.trim()
      .replace(/^boot-kernel /, '');
    expect(cmdline, log.slice(-2000)).toBeDefined();
    expect(requested.slice(0, 2)).toEqual(['ipxe.cfg', 'ipxe.cfg-52-54-00-12-34-56']);
    expect(cmdline).toMatch(
      /^initrd=boot-initrd nomodeset root=squash:http:\/\/10\.0\.2\.2:\d+\/images\/[0-9a-f]{64}\//,
    );
    expect(cmdline).toContain(
      " ip=::::node1:BOOTIF ip6=off cc:{'datasource_list': ['MAAS']}end_cc ",
    );
    expect(cmdline).toContain(
      `cloud-config-url=http://10.0.2.2:${port}/MAAS/metadata/latest/by-id/abc123/?op=get_preseed`,
    );
    expect(cmdline).toMatch(
      / log_host=10\.0\.2\.2 log_port=5247 --- console=ttyS0 panic=-1 BOOTIF=01-52-54-00-12-34-56$/,
    );
  }, 170_000);
});
