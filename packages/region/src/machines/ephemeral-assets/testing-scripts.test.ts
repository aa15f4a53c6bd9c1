import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EPHEMERAL_ASSETS_DIR, TESTING_SCRIPTS_DIR_NAME } from './asset-paths.js';
import { commandExists, runProgram } from './test-support/processes.js';

// The built-in testing scripts against stand-in roots (KILN_TEST_ROOT), under each /bin/sh an
// ephemeral image may have. The region test (machines/tests/testing.test.ts) runs them for real.

const script = (name: string) => join(EPHEMERAL_ASSETS_DIR, TESTING_SCRIPTS_DIR_NAME, name);
const MiB = 1024 * 1024;
const shells = [['dash'], ['bash'], ['busybox', 'ash']];
const available: string[][] = [];
for (const shell of shells) if (await commandExists(shell[0] ?? '')) available.push(shell);

/** A stand-in for / holding `files` (path → content, or a number: a sparse file of that size). */
async function standIn(base: string, files: Record<string, string | number | null>) {
  const root = await mkdtemp(join(base, 'root-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    await mkdir(dirname(full), { recursive: true });
    if (content === null) await mkdir(full);
    else if (typeof content === 'number') {
      await writeFile(full, '');
      await truncate(full, content);
    } else await writeFile(full, content);
  }
  return root;
}

const disk = (name: string, sizeBytes: number, node: number | null = sizeBytes) => ({
  [`sys/block/${name}/size`]: `${sizeBytes / 512}\n`,
  [`dev/${name.replace('!', '/')}`]: node,
});

describe.each(available)('testing scripts under %s', (...shell) => {
  const [cmd = 'sh', ...args] = shell;
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'kiln-testing-scripts-'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });
  const run = (name: string, root: string) =>
    runProgram(cmd, [...args, script(name)], { KILN_TEST_ROOT: root });

  it('disk-read reads the ends of each whole disk and skips what is not a disk', async () => {
    const root = await standIn(base, {
      ...disk('vdx', 40 * MiB),
      ...disk('vdy', MiB),
      ...disk('cciss!c0d0', 32 * MiB),
      ...disk('loop0', MiB, null),
      ...disk('sr0', MiB, null),
      ...disk('zram0', MiB, null),
      ...disk('dm-0', MiB, null),
      ...disk('nbd0', 0, null),
      'sys/block/sdq/size': '2048\n',
    });
    const result = await run('disk-read', root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      'cciss!c0d0: read the first and the last 16 MiB of 32 MiB',
      'nbd0: empty (0 sectors), skipped',
      `sdq: not tested (no device node ${root}/dev/sdq)`,
      'vdx: read the first and the last 16 MiB of 40 MiB',
      'vdy: read all 2048 sectors',
    ]);
  });

  it('disk-read fails naming each disk that could not be read in full', async () => {
    const root = await standIn(base, {
      ...disk('vda', 40 * MiB),
      // The kernel claims 100 MiB; only 20 are there, so the tail read comes back empty.
      ...disk('vdz', 100 * MiB, 20 * MiB),
      ...disk('vdw', 4 * MiB, null),
    });
    const result = await run('disk-read', root);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('vda: read the first and the last 16 MiB of 40 MiB');
    expect(result.stderr).toContain(
      `vdz: read 0 of 32768 sectors from sector 172032 of ${root}/dev/vdz`,
    );
    expect(result.stderr).toMatch(/^vdw: .*Is a directory/m);
    expect(result.stderr.trim().split('\n').at(-1)).toBe('disk-read failed: vdw vdz');
  });

  it('disk-read passes with a note when there is no disk to read', async () => {
    const root = await standIn(base, { ...disk('loop0', MiB) });
    const result = await run('disk-read', root);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`No disk could be read from ${root}/sys/block; nothing tested.\n`);
  });

  const meminfo = (total: number, free: number, available: number) =>
    `MemTotal:       ${total} kB\nMemFree:        ${free} kB\nMemAvailable:   ${available} kB\n`;
  const blocks = (online: number[]) =>
    Object.fromEntries([
      ['sys/devices/system/memory/block_size_bytes', '8000000\n'],
      ...online.map((o, i) => [`sys/devices/system/memory/memory${i}/online`, `${o}\n`]),
    ]) as Record<string, string>;

  it('memory-info passes consistent figures', async () => {
    // Two online blocks of 128 MiB = 262144 kB hold the 250000 kB the kernel reports.
    const root = await standIn(base, {
      'proc/meminfo': meminfo(250000, 1000, 2000),
      ...blocks([1, 1, 0]),
    });
    const result = await run('memory-info', root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'MemTotal: 250000 kB\nOnline memory blocks: 2 of 0x8000000 bytes (262144 kB)\n',
    );
  });

  it('memory-info fails naming each inconsistency', async () => {
    const root = await standIn(base, {
      'proc/meminfo': meminfo(300000, 1000, 400000),
      ...blocks([1, 1, 0]),
    });
    const result = await run('memory-info', root);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'memory-info: MemAvailable (400000 kB) exceeds MemTotal (300000 kB)\n' +
        'memory-info: MemTotal (300000 kB) exceeds the 262144 kB of online memory blocks\n',
    );
  });

  it('memory-info fails without MemTotal, and skips the block check where there are none', async () => {
    const missing = await standIn(base, { 'proc/meminfo': 'MemFree: 10 kB\n' });
    expect((await run('memory-info', missing)).code).toBe(1);
    const noBlocks = await standIn(base, { 'proc/meminfo': meminfo(1000, 10, 20) });
    const result = await run('memory-info', noBlocks);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No memory blocks listed');
  });
});
