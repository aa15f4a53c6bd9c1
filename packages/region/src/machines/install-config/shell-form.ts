import { AppError } from '@kiln/node-kit';
import { renderCloudInitFiles } from './cloud-init-files.js';
import type { InstallConfig } from './install-config-schema.js';

/**
 * The "shell form" of an install configuration: what `kiln-install` reads. One record per line,
 * fields separated by single spaces, free text base64-encoded, so that POSIX sh can read it with
 * `read -r` and never has to parse JSON or YAML or evaluate anything. The last line is `end`: a
 * truncated download is detected instead of half-installing. docs/installer.md describes each
 * record.
 */

export const SHELL_FORM_HEADER = 'kiln-install-config 1';

function token(field: string, value: string | number): string {
  const text = String(value);
  if (text === '' || /\s/.test(text)) {
    throw new AppError(
      'MACHINE_INSTALL_CONFIG_INVALID',
      `Install config field ${field} must be one non-empty word.`,
      {
        details: { field, value: text },
      },
    );
  }
  return text;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const orDash = (value: string | number | undefined | null): string =>
  value === undefined || value === null ? '-' : String(value);

/** "/" is 0, "/boot" 1, "/boot/efi" 2; unmounted file systems go last. */
function mountDepth(mount: string | undefined): number {
  if (mount === undefined) return Number.MAX_SAFE_INTEGER;
  return mount.split('/').filter((s) => s !== '').length;
}

export function encodeInstallConfigForShell(config: InstallConfig): string {
  const lines: string[] = [SHELL_FORM_HEADER];
  const add = (...fields: [string, string | number][]): void => {
    lines.push(fields.map(([name, value]) => token(name, value)).join(' '));
  };
  add(['record', 'system_id'], ['system_id', config.system_id]);
  add(['record', 'hostname'], ['hostname', config.hostname]);
  add(
    ['record', 'disk'],
    ['disk.path', config.disk.path],
    ['disk.serial', orDash(config.disk.serial)],
  );
  const storage = config.storage;
  add(['record', 'layout'], ['storage.layout', storage?.layout ?? 'dd']);
  if (storage !== undefined) {
    add(['record', 'firmware'], ['storage.firmware', storage.firmware]);
    for (const p of storage.partitions) {
      add(
        ['record', 'partition'],
        ['number', p.number],
        ['role', p.role],
        ['size_mib', p.size_mib ?? 'rest'],
      );
    }
    const mounts: {
      ref: string;
      fstype: string;
      mount: string | undefined;
      label: string | undefined;
    }[] = [];
    for (const p of storage.partitions) {
      if (p.fstype !== undefined)
        mounts.push({ ref: `part:${p.number}`, fstype: p.fstype, mount: p.mount, label: p.label });
    }
    if (storage.lvm !== undefined) {
      add(
        ['record', 'vg'],
        ['lvm.vg', storage.lvm.vg],
        ['lvm.pv_partition', storage.lvm.pv_partition],
      );
      for (const lv of storage.lvm.lvs) {
        add(
          ['record', 'lv'],
          ['lvm.vg', storage.lvm.vg],
          ['lv.name', lv.name],
          ['lv.size_mib', lv.size_mib ?? 'rest'],
        );
        mounts.push({
          ref: `lv:${storage.lvm.vg}/${lv.name}`,
          fstype: lv.fstype,
          mount: lv.mount,
          label: undefined,
        });
      }
    }
    // Parents before children: "/" before "/boot" before "/boot/efi".
    mounts.sort((a, b) => mountDepth(a.mount) - mountDepth(b.mount));
    for (const m of mounts) {
      add(
        ['record', 'fs'],
        ['fs.ref', m.ref],
        ['fs.type', m.fstype],
        ['fs.mount', orDash(m.mount)],
        ['fs.label', orDash(m.label)],
      );
    }
  }
  const image = config.image;
  add(
    ['record', 'image'],
    ['image.format', image.format],
    ['image.sha256', image.sha256],
    ['image.size', orDash(image.size)],
    ['image.url', image.url],
  );
  add(['record', 'status_url'], ['reporter.url', config.reporter.url]);
  add(['record', 'netboot_off_url'], ['netboot_off_url', config.netboot_off_url]);
  add(
    ['record', 'oauth'],
    ['consumer_key', config.reporter.consumer_key],
    ['token_key', config.reporter.token_key],
    ['token_secret', config.reporter.token_secret],
  );
  add(['record', 'bootloader'], ['bootloader.install', config.bootloader.install ? 'yes' : 'no']);
  for (const file of renderCloudInitFiles(config)) {
    add(
      ['record', 'file'],
      ['file.mode', file.mode],
      ['file.path', file.path],
      ['file.content', b64(file.content)],
    );
  }
  for (const c of config.early_commands)
    add(['record', 'early_command'], ['name', c.name], ['command', b64(c.command)]);
  for (const c of config.late_commands)
    add(['record', 'late_command'], ['name', c.name], ['command', b64(c.command)]);
  lines.push('end');
  return `${lines.join('\n')}\n`;
}
