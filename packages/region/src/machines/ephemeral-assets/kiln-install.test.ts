import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout, unlessAvailable } from '@kiln/testkit';
import type { InstallMachine } from '../install-config/index.js';
import { encodeInstallConfigForShell, renderInstallConfig } from '../install-config/index.js';
import { ASSET_FILES, assetPath } from './asset-paths.js';
import { renderInstallerUserData } from './user-data.js';
import {
  startFakeMetadataServer,
  type FakeMetadataServer,
} from './test-support/fake-metadata-server.js';
import {
  attachLoopDisk,
  blkidValue,
  canUseLoopDevices,
  debugfsCat,
  debugfsExists,
  type LoopDisk,
} from './test-support/loop-disk.js';
import { commandExists, execFileAsync, mountsUnder, runProgram } from './test-support/processes.js';

// kiln-install for real: a loop device as the machine's disk, a tiny root image made here, and a
// loopback server playing the rack and the region. What is asserted is read back from the disk.

const creds = { consumer_key: 'ck-inst', token_key: 'tk-inst', token_secret: 'ts/inst&1' };
const canRun =
  (await canUseLoopDevices()) &&
  (await commandExists('sfdisk')) &&
  (await commandExists('mkfs.vfat'));
// LVM needs the kernel's device-mapper; this test machine's kernel may lack it.
const haveLvm = await commandExists('lvcreate');
const haveDeviceMapper =
  haveLvm &&
  (existsSync('/sys/module/dm_mod') ||
    (await readFile('/proc/misc', 'utf8')).includes('device-mapper'));
const VG = 'kilntestvg';
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

interface SfdiskPartition {
  node: string;
  start: number;
  size: number;
  type: string;
  name?: string;
}

describe.skipIf(
  skipWithout(unlessAvailable(canRun, 'loop devices (root), sfdisk and mkfs.vfat are needed')),
)('kiln-install on a loop device', () => {
  let dir: string;
  let server: FakeMetadataServer;
  let disk: LoopDisk | undefined;
  let rootTgz: Buffer;
  let rootSquashfs: Buffer;
  let templatesDir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-install-test-'));
    const root = join(dir, 'root');
    for (const d of ['etc', 'usr/bin', 'var/lib', 'boot'])
      await mkdir(join(root, d), { recursive: true });
    await writeFile(join(root, 'etc/hostname'), 'image-default\n');
    await writeFile(join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
    await writeFile(join(root, 'usr/bin/hello'), '#!/bin/sh\necho hello\n', { mode: 0o755 });
    await execFileAsync('tar', ['-C', root, '-czf', join(dir, 'root.tgz'), '.']);
    await execFileAsync('mksquashfs', [
      root,
      join(dir, 'root.squashfs'),
      '-noappend',
      '-quiet',
      '-no-progress',
    ]);
    rootTgz = await readFile(join(dir, 'root.tgz'));
    rootSquashfs = await readFile(join(dir, 'root.squashfs'));
    templatesDir = join(dir, 'templates');
    await mkdir(templatesDir);
    server = await startFakeMetadataServer(creds);
  });

  afterEach(async () => {
    await disk?.release();
    disk = undefined;
    server.events.length = 0;
    server.netbootOff.length = 0;
  });

  afterAll(async () => {
    await server.close();
    for (const m of await mountsUnder(dir)) await runProgram('umount', ['-l', m]);
    await rm(dir, { recursive: true, force: true });
  });

  function machine(device: string, firmware: 'bios' | 'uefi', sizeMiB = 160): InstallMachine {
    return {
      system_id: 'abc123',
      hostname: 'node1',
      domain: 'maas',
      architecture: 'amd64/generic',
      osystem: 'debian',
      distro_series: 'bookworm',
      firmware,
      block_devices: [
        { name: device.replace('/dev/', ''), path: device, size: sizeMiB * 1024 * 1024 },
      ],
      interfaces: [
        {
          name: 'eth0',
          type: 'physical',
          mac_address: '52:54:00:12:34:56',
          links: [{ mode: 'dhcp' }],
        },
      ],
    };
  }

  async function install(
    m: InstallMachine,
    image: { bytes: Buffer; filetype: string; sha256?: string },
    extra: {
      bootloader?: boolean;
      storageLayout?: Record<string, string>;
      mangle?: (shellForm: string) => string;
      /** Run through the deploy user-data (as cloud-init would) instead of calling kiln-install. */
      viaUserData?: boolean;
      templates?: Record<string, string>;
      shell?: string[];
      env?: Record<string, string>;
    } = {},
  ) {
    const path = `${sha256(image.bytes)}/debian/amd64/generic/bookworm/stable/${image.filetype}`;
    server.files.set(`/images/${path}`, image.bytes);
    for (const [name, text] of Object.entries(extra.templates ?? {}))
      await writeFile(join(templatesDir, name), text);
    const config = await renderInstallConfig(m, {
      rackUrl: server.url,
      image: { path, filetype: image.filetype, sha256: image.sha256 ?? sha256(image.bytes) },
      credentials: creds,
      templatesDir,
      installBootloader: extra.bootloader ?? false,
      ...(extra.storageLayout === undefined ? {} : { storageLayout: extra.storageLayout }),
    });
    server.files.set(
      '/MAAS/metadata/latest/install-config',
      Buffer.from((extra.mangle ?? ((t: string) => t))(encodeInstallConfigForShell(config))),
    );
    const target = join(dir, 'target');
    const configUrl = `${server.url}/MAAS/metadata/latest/install-config`;
    if (extra.viaUserData === true) {
      await writeFile(
        join(dir, 'user-data'),
        await renderInstallerUserData({ configUrl, credentials: creds }),
      );
      const result = await runProgram('sh', [join(dir, 'user-data')], { TMPDIR: dir });
      return { result, config, target: '/tmp/kiln-target' };
    }
    const [shell = 'dash', ...shellArgs] = extra.shell ?? ['dash'];
    const result = await runProgram(
      shell,
      [
        ...shellArgs,
        assetPath(ASSET_FILES.installer),
        '--config-url',
        configUrl,
        '--target',
        target,
      ],
      {
        KILN_OAUTH: `${creds.consumer_key}:${creds.token_key}:${creds.token_secret}`,
        TMPDIR: dir,
        ...extra.env,
      },
    );
    for (const name of Object.keys(extra.templates ?? {})) await rm(join(templatesDir, name));
    return { result, config, target };
  }

  async function partitions(device: string): Promise<SfdiskPartition[]> {
    const { stdout } = await execFileAsync('sfdisk', ['--json', device]);
    const table = (
      JSON.parse(stdout) as { partitiontable: { label: string; partitions: SfdiskPartition[] } }
    ).partitiontable;
    expect(table.label).toBe('gpt');
    return table.partitions;
  }

  const stageNames = (): string[] =>
    server.events.map((e) => `${e.event_type} ${e.name} ${e.result ?? ''}`.trim());

  it('BIOS + flat + root-tgz: bios_grub and ext4 root, fstab by UUID, cloud-init config, stages, netboot_off', async () => {
    disk = await attachLoopDisk(dir, 160);
    const { result, target } = await install(
      machine(disk.device, 'bios'),
      { bytes: rootTgz, filetype: 'root-tgz' },
      {
        templates: {
          curtin_userdata_debian:
            'late_commands:\n  10_marker: echo "{{ node.system_id }}" > "$TARGET_MOUNT_POINT/etc/kiln-marker"\n',
        },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const parts = await partitions(disk.device);
    expect(parts.map((p) => [p.type, p.name])).toEqual([
      ['21686148-6449-6E6F-744E-656564454649', 'bios_grub'],
      ['0FC63DAF-8483-4772-8E79-3D69D8477DE4', 'root'],
    ]);
    expect(parts[0]!.size).toBe(2048);
    const root = parts[1]!.node;
    expect(await blkidValue(root, 'TYPE')).toBe('ext4');
    const uuid = await blkidValue(root, 'UUID');
    const fstab = await debugfsCat(root, '/etc/fstab');
    expect(fstab.split('\n').filter((l) => l.startsWith('UUID='))).toEqual([
      `UUID=${uuid} / ext4 errors=remount-ro 0 1`,
    ]);
    expect(await debugfsCat(root, '/etc/hostname')).toBe('image-default\n');
    expect(await debugfsCat(root, '/etc/kiln-marker')).toBe('abc123\n');
    const ds = parse(
      await debugfsCat(root, '/etc/cloud/cloud.cfg.d/90_kiln_datasource.cfg'),
    ) as unknown;
    expect(ds).toEqual({
      datasource_list: ['MAAS'],
      datasource: { MAAS: { metadata_url: `${server.url}/MAAS/metadata/`, ...creds } },
    });
    const net = parse(await debugfsCat(root, '/etc/cloud/cloud.cfg.d/50-kiln-network.cfg')) as {
      network: { version: number; config: { name?: string; mac_address?: string }[] };
    };
    expect(net.network.version).toBe(1);
    expect(net.network.config[0]).toMatchObject({ name: 'eth0', mac_address: '52:54:00:12:34:56' });

    expect(stageNames()).toEqual([
      'start cmd-install',
      'start cmd-install/stage-early',
      'finish cmd-install/stage-early SUCCESS',
      'start cmd-install/stage-partitioning',
      'finish cmd-install/stage-partitioning SUCCESS',
      'start cmd-install/stage-extract',
      'finish cmd-install/stage-extract SUCCESS',
      'start cmd-install/stage-configure',
      'finish cmd-install/stage-configure SUCCESS',
      'start cmd-install/stage-bootloader',
      'finish cmd-install/stage-bootloader SUCCESS',
      'start cmd-install/stage-late',
      'finish cmd-install/stage-late SUCCESS',
      'start cmd-install/stage-netboot-off',
      'finish cmd-install/stage-netboot-off SUCCESS',
      'finish cmd-install SUCCESS',
    ]);
    expect(
      server.events.every((e) => e.origin === 'kiln-install' && typeof e.timestamp === 'number'),
    ).toBe(true);
    expect(server.netbootOff).toEqual(['/MAAS/metadata/latest/?op=netboot_off']);
    expect(server.unauthorized).toEqual([]);
    expect(await mountsUnder(target)).toEqual([]);
  });

  it('UEFI + flat + squashfs under busybox ash with wget: vfat ESP, ext4 root, both in fstab', async () => {
    disk = await attachLoopDisk(dir, 640);
    const { result } = await install(
      machine(disk.device, 'uefi', 640),
      { bytes: rootSquashfs, filetype: 'squashfs' },
      {
        shell: existsSync('/bin/busybox') ? ['/bin/busybox', 'ash'] : ['dash'],
        env: { KILN_HTTP: 'wget' },
        bootloader: true,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const parts = await partitions(disk.device);
    expect(parts.map((p) => [p.type, p.size])).toEqual([
      ['C12A7328-F81F-11D2-BA4B-00A0C93EC93B', 512 * 2048],
      ['0FC63DAF-8483-4772-8E79-3D69D8477DE4', expect.any(Number)],
    ]);
    const [esp, root] = [parts[0]!.node, parts[1]!.node];
    expect(await blkidValue(esp, 'TYPE')).toBe('vfat');
    expect(await blkidValue(root, 'TYPE')).toBe('ext4');
    const fstab = (await debugfsCat(root, '/etc/fstab'))
      .split('\n')
      .filter((l) => l.startsWith('UUID='));
    expect(fstab).toEqual([
      `UUID=${await blkidValue(root, 'UUID')} / ext4 errors=remount-ro 0 1`,
      `UUID=${await blkidValue(esp, 'UUID')} /boot/efi vfat umask=0077 0 1`,
    ]);
    expect(await debugfsCat(root, '/usr/bin/hello')).toContain('echo hello');
    expect(await debugfsExists(root, '/.kiln-image')).toBe(false);
    expect(await debugfsExists(root, '/etc/os-release')).toBe(true);
    // The image has no grub-install: the stage says so and the install still completes.
    expect(
      server.events.find(
        (e) => e.name === 'cmd-install/stage-bootloader' && e.event_type === 'finish',
      ),
    ).toMatchObject({
      result: 'WARN',
      description: 'the image has no grub-install; no bootloader installed',
    });
    expect(server.events.at(-1)).toMatchObject({
      name: 'cmd-install',
      event_type: 'finish',
      result: 'SUCCESS',
    });
  });

  it('dd-gz image through the deploy user-data: streamed onto the whole disk byte for byte', async () => {
    disk = await attachLoopDisk(dir, 160);
    const raw = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < raw.length; i += 4) raw.writeUInt32LE(i ^ 0x5a5a5a5a, i);
    const { result } = await install(
      machine(disk.device, 'bios'),
      { bytes: gzipSync(raw), filetype: 'root-dd.gz' },
      { viaUserData: true },
    );
    expect(result.code, result.stderr).toBe(0);
    const written = (await readFile(disk.file)).subarray(0, raw.length);
    expect(written.equals(raw)).toBe(true);
    expect(stageNames()).toContain('finish cmd-install/stage-extract SUCCESS');
    expect(stageNames()).not.toContain('start cmd-install/stage-partitioning');
    expect(server.netbootOff).toHaveLength(1);
  });

  it('wrong sha256: FAIL reported with the mismatch, non-zero exit, no netboot_off', async () => {
    disk = await attachLoopDisk(dir, 160);
    const { result } = await install(machine(disk.device, 'bios'), {
      bytes: rootTgz,
      filetype: 'root-tgz',
      sha256: 'f'.repeat(64),
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('sha256 mismatch');
    const failed = server.events.filter((e) => e.result === 'FAIL');
    expect(failed.map((e) => e.name)).toEqual(['cmd-install/stage-extract', 'cmd-install']);
    const log = Buffer.from(failed[0]!.files![0]!.content, 'base64').toString();
    expect(log).toContain(`expected ${'f'.repeat(64)}, got ${sha256(rootTgz)}`);
    expect(server.netbootOff).toEqual([]);
  });

  it('failing late_command: FAIL in stage-late with the command output', async () => {
    disk = await attachLoopDisk(dir, 160);
    const { result, target } = await install(
      machine(disk.device, 'bios'),
      { bytes: rootTgz, filetype: 'root-tgz' },
      {
        templates: {
          curtin_userdata_debian_amd64_generic_bookworm_node1:
            'late_commands:\n  01_ok: ["true"]\n  02_boom: echo boom-output-line; seq 1 300; ls /no/such/path; exit 3\n',
        },
      },
    );
    expect(result.code).toBe(1);
    const failed = server.events.filter((e) => e.result === 'FAIL');
    expect(failed.map((e) => e.name)).toEqual(['cmd-install/stage-late', 'cmd-install']);
    expect(failed[0]!.description).toBe('late_command 02_boom exited with status 3');
    const log = Buffer.from(failed[0]!.files![0]!.content, 'base64').toString();
    // The report carries the failing command's last 200 lines.
    const lines = log.trimEnd().split('\n');
    expect(lines).toHaveLength(200);
    expect(lines[0]).toBe('102');
    expect(lines.at(-1)).toContain('/no/such/path');
    expect(server.netbootOff).toEqual([]);
    expect(await mountsUnder(target)).toEqual([]);
  });
  it.runIf(haveDeviceMapper)('BIOS + lvm: a PV partition, the LV ext4 as / in fstab', async () => {
    disk = await attachLoopDisk(dir, 160);
    try {
      const { result } = await install(
        machine(disk.device, 'bios'),
        { bytes: rootTgz, filetype: 'root-tgz' },
        { storageLayout: { storage_layout: 'lvm', vg_name: VG, lv_name: 'root' } },
      );
      expect(result.code, result.stderr).toBe(0);
      const parts = await partitions(disk.device);
      expect(parts.map((p) => p.type)).toEqual([
        '21686148-6449-6E6F-744E-656564454649',
        'E6D6D379-F507-44C2-A23C-238F2A3DF928',
      ]);
      await execFileAsync('vgchange', ['-ay', VG]);
      const lv = `/dev/${VG}/root`;
      expect(await blkidValue(lv, 'TYPE')).toBe('ext4');
      const fstab = (await debugfsCat(lv, '/etc/fstab'))
        .split('\n')
        .filter((l) => l.startsWith('UUID='));
      expect(fstab).toEqual([`UUID=${await blkidValue(lv, 'UUID')} / ext4 errors=remount-ro 0 1`]);
    } finally {
      await runProgram('vgchange', ['-an', VG]);
    }
  });

  it.runIf(haveLvm && !haveDeviceMapper)(
    'lvm without kernel device-mapper: FAIL in stage-partitioning with the LVM error',
    async () => {
      disk = await attachLoopDisk(dir, 160);
      try {
        const { result } = await install(
          machine(disk.device, 'bios'),
          { bytes: rootTgz, filetype: 'root-tgz' },
          { storageLayout: { storage_layout: 'lvm', vg_name: VG } },
        );
        expect(result.code).toBe(1);
        const failed = server.events.filter((e) => e.result === 'FAIL');
        expect(failed.map((e) => e.name)).toEqual([
          'cmd-install/stage-partitioning',
          'cmd-install',
        ]);
        expect(failed[0]!.description).toMatch(/^lvcreate .* exited with status \d+$/);
        expect(Buffer.from(failed[0]!.files![0]!.content, 'base64').toString()).toContain(
          'device-mapper',
        );
      } finally {
        await runProgram('vgremove', ['-f', VG]);
      }
    },
  );
  it('SIGTERM during a stage: FAIL "interrupted" reported, everything unmounted', async () => {
    disk = await attachLoopDisk(dir, 160);
    const { result, target } = await install(
      machine(disk.device, 'bios'),
      { bytes: rootTgz, filetype: 'root-tgz' },
      {
        templates: { curtin_userdata: 'late_commands:\n  01_kill: kill -TERM "$PPID"; sleep 1\n' },
      },
    );
    expect(result.code).toBe(1);
    const failed = server.events.filter((e) => e.result === 'FAIL');
    expect(failed.map((e) => [e.name, e.description])).toEqual([
      ['cmd-install/stage-late', 'interrupted'],
      ['cmd-install', 'installation failed: interrupted'],
    ]);
    expect(await mountsUnder(target)).toEqual([]);
    expect(server.netbootOff).toEqual([]);
  });

  it('a config missing a required record: FAIL naming it, the disk untouched', async () => {
    disk = await attachLoopDisk(dir, 160);
    const { result } = await install(
      machine(disk.device, 'bios'),
      { bytes: rootTgz, filetype: 'root-tgz' },
      { mangle: (text) => text.replace(/^image .*\n/m, '') },
    );
    expect(result.code).toBe(1);
    expect(server.events.map((e) => [e.name, e.result ?? '', e.description])).toEqual([
      ['cmd-install', '', 'installing node1 (abc123)'],
      ['cmd-install', 'FAIL', 'installation failed: the install config has no image record'],
    ]);
    expect((await readFile(disk.file)).subarray(0, 1024 * 1024).every((b) => b === 0)).toBe(true);
  });

  it('a truncated config is refused before anything is reported or written', async () => {
    disk = await attachLoopDisk(dir, 160);
    const { result } = await install(
      machine(disk.device, 'bios'),
      { bytes: rootTgz, filetype: 'root-tgz' },
      { mangle: (text) => text.replace(/end\n$/, '') },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'the install config is not a complete kiln-install-config 1 document',
    );
    expect(server.events).toEqual([]);
  });
  async function partitionByHand(device: string, script: string): Promise<string> {
    await execFileAsync('sh', [
      '-c',
      `printf '${script}' | sfdisk -q ${device} && partx -u ${device}`,
    ]);
    return `${device}p1`;
  }

  it('a disk with a mounted partition is refused before anything is written', async () => {
    disk = await attachLoopDisk(dir, 160);
    const p1 = await partitionByHand(disk.device, 'label: gpt\\n,,L\\n');
    await execFileAsync('mkfs.ext4', ['-q', '-F', p1]);
    const mnt = join(dir, 'busy');
    await mkdir(mnt, { recursive: true });
    await execFileAsync('mount', [p1, mnt]);
    try {
      const { result } = await install(machine(disk.device, 'bios'), {
        bytes: rootTgz,
        filetype: 'root-tgz',
      });
      expect(result.code).toBe(1);
      const failed = server.events.filter((e) => e.result === 'FAIL');
      expect(failed.map((e) => [e.name, e.description])).toEqual([
        ['cmd-install/stage-partitioning', `${disk.device} has mounted file systems`],
        ['cmd-install', `installation failed: ${disk.device} has mounted file systems`],
      ]);
      expect(Buffer.from(failed[0]!.files![0]!.content, 'base64').toString()).toContain(mnt);
      expect((await partitions(disk.device)).map((p) => p.type)).toEqual([
        '0FC63DAF-8483-4772-8E79-3D69D8477DE4',
      ]);
    } finally {
      await runProgram('umount', [mnt]);
    }
  });

  it.runIf(haveLvm)(
    'a disk left with an old LVM volume group is reinstalled and the old VG is gone',
    async () => {
      disk = await attachLoopDisk(dir, 160);
      const p1 = await partitionByHand(
        disk.device,
        'label: gpt\\nstart=2048,size=65536,type=E6D6D379-F507-44C2-A23C-238F2A3DF928\\n',
      );
      await execFileAsync('pvcreate', ['-ff', '-y', p1]);
      await execFileAsync('vgcreate', ['kilnstalevg', p1]);
      try {
        const { result } = await install(machine(disk.device, 'bios'), {
          bytes: rootTgz,
          filetype: 'root-tgz',
        });
        expect(result.code, result.stderr).toBe(0);
        expect((await runProgram('vgs', ['kilnstalevg'])).code).not.toBe(0);
        expect(await blkidValue((await partitions(disk.device))[1]!.node, 'TYPE')).toBe('ext4');
      } finally {
        await runProgram('vgremove', ['-f', 'kilnstalevg']);
      }
    },
  );
  it.each([
    [
      'a dd layout for a tarball',
      (t: string) => t.replace('layout flat', 'layout dd'),
      () => 'image format tgz cannot be installed with layout dd',
    ],
    [
      'no file system records',
      (t: string) => t.replace(/^fs .*\n/gm, ''),
      () => `no root file system is mounted at ${join(dir, 'target')}`,
    ],
  ])(
    'an inconsistent config (%s) fails before unpacking anywhere',
    async (_name, mangle, description) => {
      disk = await attachLoopDisk(dir, 160);
      const { result } = await install(
        machine(disk.device, 'bios'),
        { bytes: rootTgz, filetype: 'root-tgz' },
        { mangle },
      );
      expect(result.code).toBe(1);
      expect(server.events.filter((e) => e.result === 'FAIL').at(-1)?.description).toBe(
        `installation failed: ${description()}`,
      );
      expect(server.events.some((e) => e.name === 'cmd-install/stage-extract')).toBe(false);
    },
  );
});
