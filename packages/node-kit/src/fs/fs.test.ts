import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atomicWriteFile, safeJoin, sha256File, unsafePathReason } from './index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-fs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('safeJoin', () => {
  it('joins ordinary relative paths under the root', () => {
    expect(safeJoin('/srv/root', 'noble/amd64/boot-kernel')).toBe(
      '/srv/root/noble/amd64/boot-kernel',
    );
    expect(safeJoin('/srv/root/', 'a/./b')).toBe('/srv/root/a/b');
  });

  it.each([
    ['/etc/passwd', 'is absolute'],
    ['../x', "contains '..'"],
    ['a/../../x', "contains '..'"],
    ['a/..', "contains '..'"],
    ['a\\..\\b', 'contains a backslash'],
    ['', 'is empty'],
    ['a\0b', 'contains a NUL byte'],
  ])('refuses %j (%s)', (path, reason) => {
    expect(unsafePathReason(path)).toBe(reason);
    expect(() => safeJoin('/srv/root', path)).toThrow(
      expect.objectContaining({ code: 'FS_PATH_UNSAFE', status: 400 }),
    );
  });

  it('accepts names that merely contain dots', () => {
    expect(safeJoin('/r', '..hidden/x..y')).toBe('/r/..hidden/x..y');
  });
});

describe('sha256File', () => {
  it('hashes by streaming and reports the size', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a);
    const path = join(dir, 'blob');
    await writeFile(path, data);
    const digest = await sha256File(path);
    expect(digest).toEqual({
      sha256: createHash('sha256').update(data).digest('hex'),
      size: data.length,
    });
  });
});

describe('atomicWriteFile', () => {
  it('creates parent folders, replaces content and leaves no partial behind', async () => {
    const path = join(dir, 'a', 'b', 'file.json');
    await atomicWriteFile(path, 'one');
    await atomicWriteFile(path, Buffer.from('two'));
    expect(await readFile(path, 'utf8')).toBe('two');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['file.json']);
  });

  it('leaves the old content when the write fails', async () => {
    const path = join(dir, 'file');
    await atomicWriteFile(path, 'old');
    // A non-empty directory named like the target makes the rename fail after the partial was written.
    await mkdir(join(dir, 'sub', 'inner'), { recursive: true });
    await expect(atomicWriteFile(join(dir, 'sub'), 'x')).rejects.toThrow();
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['file', 'sub']);
    expect((await readdir(dir)).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });
});
