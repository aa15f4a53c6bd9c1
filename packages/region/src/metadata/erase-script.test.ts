import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runProgram } from '../machines/ephemeral-assets/test-support/processes.js';
import { wipeDisksScript } from './erase-script.js';

// The machine's disks are the hardware that is not here: lsblk, blockdev and dd are stand-ins on
// PATH that describe a VM's devices and record what would have been written.
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-erase-test-'));
  const stub = async (name: string, body: string) => {
    await writeFile(join(dir, name), `#!/bin/sh\n${body}\n`);
    await chmod(join(dir, name), 0o755);
  };
  // What `lsblk -dn -b -o NAME,TYPE,SIZE,RO` prints in a qemu VM with a floppy and a CD drive.
  await stub(
    'lsblk',
    `printf '%s\\n' 'fd0 disk 4096 0' 'sr0 rom 1073741824 0' 'loop0 loop 1048576 0' 'vda disk 4294967296 0' 'vdb disk 0 0' 'sdb disk 8589934592 1' 'nvme0n1 disk 1073741824 0'`,
  );
  await stub('blockdev', `case "$2" in /dev/vda) echo 4294967296 ;; *) echo 1073741824 ;; esac`);
  await stub('dd', `echo "dd $*" >> "${dir}/writes"`);
  await stub('blkdiscard', 'exit 1');
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function wipe(options: { secure: boolean; quick: boolean }) {
  const script = join(dir, 'wipe-disks');
  await writeFile(script, wipeDisksScript(options).content);
  const run = await runProgram('sh', [script], { PATH: `${dir}:${process.env.PATH ?? ''}` });
  const writes = await readFile(join(dir, 'writes'), 'utf8').catch(() => '');
  return { ...run, writes };
}

it('quick-erases only the real, writable, non-empty disks: not the floppy, CD, loop or read-only ones', async () => {
  const run = await wipe({ secure: false, quick: true });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout.trim().split('\n')).toEqual([
    '/dev/vda: quick erase',
    '/dev/nvme0n1: quick erase',
  ]);
  const targets = [...run.writes.matchAll(/of=(\S+)/g)].map((m) => m[1]);
  expect(targets).toEqual(['/dev/vda', '/dev/vda', '/dev/nvme0n1', '/dev/nvme0n1']);
  // 2 MiB at the start and 2 MiB before the end of the 4 GiB disk.
  expect(run.writes).toContain('of=/dev/vda bs=1M count=2 seek=4094');
});

it('falls back from an unsupported secure erase to zeroing each disk', async () => {
  const run = await wipe({ secure: true, quick: false });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout.trim().split('\n')).toEqual(['/dev/vda: zeroed', '/dev/nvme0n1: zeroed']);
});
