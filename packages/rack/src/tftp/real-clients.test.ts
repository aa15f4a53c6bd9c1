import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createTftpServer, type TftpServer } from './server.js';
import { fileSource } from './sources.js';

const run = promisify(execFile);

/**
 * Debian's atftp (negotiates blksize and windowsize) and curl fetching from the server on
 * loopback; the files must come back byte-identical. Both clients are required (Debian packages
 * atftp and curl), not optional: a missing client fails the test.
 */
const SIZES: Record<string, number> = {
  empty: 0,
  'one-byte': 1,
  'block-512': 512,
  'blocks-1468x3': 1468 * 3,
  'odd-100k': 100_003,
  'mib-plus': 1024 * 1024 + 7,
};

describe('TFTP with real clients', () => {
  let dir: string;
  let server: TftpServer;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-tftp-clients-'));
    await Promise.all(
      Object.entries(SIZES).map(([name, size]) => writeFile(join(dir, name), randomBytes(size))),
    );
    // 34 MB at blksize 512 is 66,407 blocks, past the 16-bit block counter.
    await writeFile(join(dir, 'rollover'), randomBytes(34 * 1000 * 1000));
    server = await createTftpServer({
      port: 0,
      address: '127.0.0.1',
      logger: pino({ level: 'silent' }),
      timeoutMs: 500,
      resolve: async (path) => {
        try {
          return await fileSource(join(dir, path));
        } catch {
          return null;
        }
      },
    });
    port = server.address().port;
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function expectSame(name: string, out: string): Promise<void> {
    const [want, got] = await Promise.all([readFile(join(dir, name)), readFile(out)]);
    expect(got.length).toBe(want.length);
    expect(got.equals(want)).toBe(true);
  }

  const atftp = async (name: string, options: string[]) => {
    const out = join(dir, `out-atftp-${name}-${options.length}`);
    const args = options.flatMap((option) => ['--option', option]);
    await run('atftp', [...args, '-g', '-r', name, '-l', out, '127.0.0.1', String(port)]);
    await expectSame(name, out);
  };

  const curl = async (name: string, options: string[]) => {
    const out = join(dir, `out-curl-${name}-${options.length}`);
    await run('curl', ['-sS', '--fail', ...options, '-o', out, `tftp://127.0.0.1:${port}/${name}`]);
    await expectSame(name, out);
  };

  it.each(Object.keys(SIZES))('atftp, lockstep, 512-byte blocks: %s', (name) => atftp(name, []));

  it.each(Object.keys(SIZES))('atftp, blksize 1468 windowsize 16: %s', (name) =>
    atftp(name, ['blksize 1468', 'windowsize 16']),
  );

  it.each(Object.keys(SIZES))('curl, default options: %s', (name) => curl(name, []));

  it.each(Object.keys(SIZES))('curl, --tftp-blksize 1468: %s', (name) =>
    curl(name, ['--tftp-blksize', '1468']),
  );

  it('atftp rolls block numbers over past 65535 (34 MB at blksize 512, windowsize 16)', () =>
    atftp('rollover', ['blksize 512', 'windowsize 16']));

  it('curl rolls block numbers over past 65535 (34 MB at blksize 512, lockstep)', () =>
    curl('rollover', ['--tftp-blksize', '512']));

  it('serves over IPv6 loopback too (curl and atftp on ::1)', async () => {
    const v6 = await createTftpServer({
      port: 0,
      address: '::1',
      logger: pino({ level: 'silent' }),
      resolve: (path) => fileSource(join(dir, path)),
    });
    try {
      const p = String(v6.address().port);
      await run('curl', [
        '-sS',
        '--fail',
        '-o',
        join(dir, 'v6-curl'),
        `tftp://[::1]:${p}/odd-100k`,
      ]);
      await expectSame('odd-100k', join(dir, 'v6-curl'));
      const options = ['--option', 'blksize 1468', '--option', 'windowsize 16'];
      await run('atftp', [
        ...options,
        '-g',
        '-r',
        'mib-plus',
        '-l',
        join(dir, 'v6-atftp'),
        '::1',
        p,
      ]);
      await expectSame('mib-plus', join(dir, 'v6-atftp'));
    } finally {
      await v6.close();
    }
  });

  it('clients see file not found for a missing name and the refusal of an escape', async () => {
    await expect(
      run('curl', ['-sS', '--fail', '-o', join(dir, 'x'), `tftp://127.0.0.1:${port}/missing`]),
    ).rejects.toMatchObject({ code: 68 }); // curl's CURLE_TFTP_NOTFOUND
    await expect(
      run('atftp', ['-g', '-r', '../etc/passwd', '-l', join(dir, 'y'), '127.0.0.1', String(port)]),
    ).rejects.toThrow(/Parent directory references are not allowed/);
    expect(server.stats().errorsSent[2]).toBe(1);
  });
});
