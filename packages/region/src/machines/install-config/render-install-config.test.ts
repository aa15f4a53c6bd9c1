import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASOURCE_FILE, NETWORK_FILE, REPORTING_FILE } from './cloud-init-files.js';
import { installConfigSchema } from './install-config-schema.js';
import { renderInstallConfig, type InstallConfigOptions } from './render-install-config.js';
import { encodeInstallConfigForShell, SHELL_FORM_HEADER } from './shell-form.js';
import { sampleMachine } from './test-support/sample-machine.js';

const sha = 'b'.repeat(64);
const credentials = { consumer_key: 'CK', token_key: 'TK', token_secret: 'TS' };
const options = (extra: Partial<InstallConfigOptions> = {}): InstallConfigOptions => ({
  rackUrl: 'http://10.0.0.2:5248',
  image: {
    path: `${sha}/ubuntu/amd64/ga-24.04/noble/stable/squashfs`,
    filetype: 'squashfs',
    sha256: sha,
  },
  credentials,
  ...extra,
});

/** Reads the shell form back the way kiln-install does: first word is the record key. */
function records(text: string): [string, string[]][] {
  return text
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [key = '', ...rest] = line.split(' ');
      return [key, rest];
    });
}

describe('renderInstallConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-render-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('composes disk, storage, image, network, datasource, reporter and netboot_off, all on the rack', async () => {
    const config = await renderInstallConfig(
      sampleMachine(),
      options({ storageLayout: { storage_layout: 'lvm' } }),
    );
    expect(installConfigSchema.parse(config)).toEqual(config);
    expect(config).toMatchObject({
      format: 'kiln-install/1',
      system_id: 'x7k2pq',
      disk: { path: '/dev/sda', serial: 'QM0001', size: 100e9 },
      storage: { layout: 'lvm', firmware: 'uefi', lvm: { vg: 'vgroot' } },
      image: {
        url: `http://10.0.0.2:5248/images/${sha}/ubuntu/amd64/ga-24.04/noble/stable/squashfs`,
        format: 'squashfs',
        sha256: sha,
      },
      datasource: { metadata_url: 'http://10.0.0.2:5248/MAAS/metadata/', ...credentials },
      reporter: { url: 'http://10.0.0.2:5248/MAAS/metadata/status/x7k2pq', ...credentials },
      netboot_off_url: 'http://10.0.0.2:5248/MAAS/metadata/latest/?op=netboot_off',
      bootloader: { install: true },
      early_commands: [],
      late_commands: [],
    });
    expect(config.network.config[0]).toMatchObject({
      type: 'physical',
      name: 'eth0',
      subnets: [{ type: 'static', address: '10.0.0.21/24' }],
    });
  });

  it('dd images: no storage plan, no bootloader, the disk is still named', async () => {
    const config = await renderInstallConfig(
      sampleMachine(),
      options({
        image: {
          path: `${sha}/esxi/amd64/generic/8/uploaded/root-dd.gz`,
          filetype: 'root-dd.gz',
          sha256: sha,
        },
      }),
    );
    expect(config.storage).toBeUndefined();
    expect(config.bootloader.install).toBe(false);
    expect(config.disk.path).toBe('/dev/sda');
    expect(records(encodeInstallConfigForShell(config))).toContainEqual(['layout', ['dd']]);
  });

  it('operator templates are rendered with the machine context', async () => {
    await writeFile(
      join(dir, 'curtin_userdata_ubuntu_amd64_generic_noble'),
      'late_commands:\n  50_hello: echo {{ node.fqdn }} {{ image.format }}\n',
    );
    const config = await renderInstallConfig(sampleMachine(), options({ templatesDir: dir }));
    expect(config.late_commands).toEqual([
      { name: '50_hello', command: 'echo node1.maas squashfs' },
    ]);
  });

  it('shell form: one record per line, base64 for free text, ends with `end`', async () => {
    const config = await renderInstallConfig(
      sampleMachine({ firmware: 'bios' }),
      options({ installBootloader: false }),
    );
    const text = encodeInstallConfigForShell({
      ...config,
      late_commands: [{ name: 'x', command: "echo 'a b'\nexit 0" }],
    });
    expect(text.split('\n')[0]).toBe(SHELL_FORM_HEADER);
    expect(text.endsWith('\nend\n')).toBe(true);
    const recs = records(text);
    expect(
      recs.filter(([k]) => k !== 'file' && k !== 'late_command' && k !== 'image' && k !== 'end'),
    ).toEqual([
      ['system_id', ['x7k2pq']],
      ['hostname', ['node1']],
      ['disk', ['/dev/sda', 'QM0001']],
      ['layout', ['flat']],
      ['firmware', ['bios']],
      ['partition', ['1', 'bios_grub', '1']],
      ['partition', ['2', 'root', 'rest']],
      ['fs', ['part:2', 'ext4', '/', 'root']],
      ['status_url', ['http://10.0.0.2:5248/MAAS/metadata/status/x7k2pq']],
      ['netboot_off_url', ['http://10.0.0.2:5248/MAAS/metadata/latest/?op=netboot_off']],
      ['oauth', ['CK', 'TK', 'TS']],
      ['bootloader', ['no']],
    ]);
    expect(recs.find(([k]) => k === 'image')?.[1]).toEqual([
      'squashfs',
      sha,
      '-',
      config.image.url,
    ]);
    const late = recs.find(([k]) => k === 'late_command')![1];
    expect([late[0], Buffer.from(late[1]!, 'base64').toString()]).toEqual([
      'x',
      "echo 'a b'\nexit 0",
    ]);
    const files: Record<string, { mode: string; text: string }> = {};
    for (const [key, [mode = '', path = '', b64 = '']] of recs) {
      if (key === 'file') files[path] = { mode, text: Buffer.from(b64, 'base64').toString() };
    }
    expect(Object.keys(files)).toEqual([DATASOURCE_FILE, REPORTING_FILE, NETWORK_FILE]);
    expect(files[DATASOURCE_FILE]!.mode).toBe('0600');
    expect(parse(files[REPORTING_FILE]!.text)).toEqual({
      reporting: {
        maas: {
          type: 'webhook',
          endpoint: 'http://10.0.0.2:5248/MAAS/metadata/status/x7k2pq',
          ...credentials,
        },
      },
    });
    expect(parse(files[NETWORK_FILE]!.text)).toEqual({ network: config.network });
  });

  it('LVM mounts come out parents first, and a value with spaces is refused', async () => {
    const config = await renderInstallConfig(
      sampleMachine(),
      options({ storageLayout: { storage_layout: 'lvm', boot_size: '1G' } }),
    );
    const fs = records(encodeInstallConfigForShell(config))
      .filter(([k]) => k === 'fs')
      .map(([, v]) => v[2]);
    expect(fs).toEqual(['/', '/boot', '/boot/efi']);
    expect(() => encodeInstallConfigForShell({ ...config, hostname: 'two words' })).toThrow(
      expect.objectContaining({
        code: 'MACHINE_INSTALL_CONFIG_INVALID',
        message: 'Install config field hostname must be one non-empty word.',
      }),
    );
  });
});
