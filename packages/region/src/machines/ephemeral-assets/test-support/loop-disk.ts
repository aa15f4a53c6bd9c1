import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileAsync, mountsUnder, runProgram } from './processes.js';

/**
 * A disk image file attached as a loop device: the installer's target in tests. `release`
 * unmounts whatever is still mounted below the test folder, then detaches the device (which also
 * drops its partition devices).
 */
export interface LoopDisk {
  readonly device: string;
  readonly file: string;
  release(): Promise<void>;
}

export async function canUseLoopDevices(): Promise<boolean> {
  return process.getuid?.() === 0 && (await runProgram('losetup', ['-f'])).code === 0;
}

export async function attachLoopDisk(
  dir: string,
  sizeMiB: number,
  name = 'disk.img',
): Promise<LoopDisk> {
  const file = join(dir, name);
  await writeFile(file, '');
  await truncate(file, sizeMiB * 1024 * 1024);
  const { stdout } = await execFileAsync('losetup', ['-fP', '--show', file]);
  const device = stdout.trim();
  return {
    device,
    file,
    release: async () => {
      for (const m of await mountsUnder(dir)) await runProgram('umount', ['-l', m]);
      await runProgram('losetup', ['-d', device]);
    },
  };
}

/** Reads one file from an ext4 file system without mounting it. */
export async function debugfsCat(device: string, path: string): Promise<string> {
  const { stdout } = await execFileAsync('debugfs', ['-R', `cat ${path}`, device], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

export async function blkidValue(device: string, tag: string): Promise<string> {
  const { stdout } = await execFileAsync('blkid', [
    '-c',
    '/dev/null',
    '-o',
    'value',
    '-s',
    tag,
    device,
  ]);
  return stdout.trim();
}

export async function debugfsExists(device: string, path: string): Promise<boolean> {
  const { stderr } = await execFileAsync('debugfs', ['-R', `stat ${path}`, device]);
  return !stderr.includes('File not found');
}
