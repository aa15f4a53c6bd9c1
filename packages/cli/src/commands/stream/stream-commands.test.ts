import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { Command, CommanderError } from 'commander';
import { isAppError } from '@kiln/node-kit';
import {
  alterSignedByte,
  gpgvVerify,
  makeFixtureStream,
  serveDirectory,
  type FixtureStream,
} from '@kiln/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerStreamCommands } from './index.js';

const run = promisify(execFile);
let dir: string;
let fixture: FixtureStream;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `kiln stream ...` in-process with captured stdout/stderr, reporting errors like the program does. */
async function kiln(...args: string[]): Promise<Ran> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const program = new Command('kiln').exitOverride();
  registerStreamCommands(program, { stdout, stderr, stdin: new PassThrough(), env: {} });
  const quiet = (c: Command): void => {
    c.exitOverride().configureOutput({
      writeOut: (t) => out.push(t),
      writeErr: (t) => err.push(t),
    });
    c.commands.forEach(quiet);
  };
  quiet(program);
  let code = 0;
  try {
    await program.parseAsync(['node', 'kiln', 'stream', ...args]);
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode;
    else if (isAppError(error)) {
      err.push(`Error: ${error.message}\n`);
      code = 1;
    } else throw error;
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-cli-stream-'));
  fixture = await makeFixtureStream({ dir: join(dir, 'fixture') });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('kiln stream', () => {
  it('keygen + build --sign-key make a stream that real gpgv verifies, and verify/query read it', async () => {
    const keys = join(dir, 'keys');
    const keygen = await kiln('keygen', '--out', keys);
    expect(keygen.code).toBe(0);
    expect(keygen.stdout).toMatch(/fingerprint: [0-9A-F]{40}/);
    const out = join(dir, 'built');
    const build = await kiln(
      'build',
      '--manifest',
      fixture.manifestPath,
      '--out',
      out,
      '--sign-key',
      join(keys, 'signing-key.asc'),
    );
    expect(build).toMatchObject({ code: 0, stderr: '' });
    expect(build.stdout).toContain(`${fixture.files.size} files`);
    const signed = (await readdir(join(out, 'streams/v1'))).filter((f) => f.endsWith('.sjson'));
    expect(signed).toHaveLength(4);
    for (const doc of signed) {
      const verdict = await gpgvVerify(join(keys, 'keyring.gpg'), join(out, 'streams/v1', doc));
      expect(verdict.code, verdict.output).toBe(0);
    }

    const verify = await kiln('verify', out, '--keyring', join(keys, 'keyring.gpg'));
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^OK: .*index\.sjson and 3 products documents verified/);

    const query = await kiln(
      'query',
      out,
      '--keyring',
      join(keys, 'keyring.gpg'),
      '--max-versions',
      '1',
      '--output-format',
      '%(release)s %(arch)s %(item_name)s %(path)s',
      'release=noble',
      'ftype=boot-kernel',
    );
    expect(query.code).toBe(0);
    expect(query.stdout.trim().split('\n').sort()).toEqual([
      'noble amd64 boot-kernel noble/amd64/20250718/ga-24.04/generic/boot-kernel',
      'noble amd64 boot-kernel noble/amd64/20250718/ga-24.04/lowlatency/boot-kernel',
      'noble amd64 boot-kernel noble/amd64/20250718/hwe-24.04/generic/boot-kernel',
      'noble arm64 boot-kernel noble/arm64/20250718/ga-24.04/generic/boot-kernel',
      'noble arm64 boot-kernel noble/arm64/20250718/hwe-24.04/generic/boot-kernel',
    ]);

    await alterSignedByte(
      join(out, 'streams/v1/com.ubuntu.maas:stable:centos-bases-download.sjson'),
    );
    const bad = await kiln('verify', out, '--keyring', join(keys, 'keyring.gpg'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'com.ubuntu.maas:stable:centos-bases-download.sjson: bad signature',
    );

    const other = join(dir, 'keys2');
    await kiln('keygen', '--out', other);
    const sign = await kiln('sign', out, '--key', join(other, 'signing-key.asc'));
    expect(sign.stdout.trim().split('\n')).toContain('streams/v1/index.sjson');
    expect((await kiln('verify', out, '--keyring', join(other, 'keyring.gpg'))).code).toBe(0);
  });

  it('mirror trims to filters, shows progress on stderr and says when it writes unsigned documents', async () => {
    const keys = join(dir, 'mkeys');
    await kiln('keygen', '--out', keys);
    const upstream = join(dir, 'upstream');
    await kiln(
      'build',
      '--manifest',
      fixture.manifestPath,
      '--out',
      upstream,
      '--sign-key',
      join(keys, 'signing-key.asc'),
    );
    const server = await serveDirectory(upstream);
    try {
      const out = join(dir, 'mirror');
      const first = await kiln(
        'mirror',
        server.url,
        out,
        '--keyring',
        join(keys, 'keyring.gpg'),
        '--max-versions',
        '1',
        'arch=amd64',
      );
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/downloaded/);
      expect(first.stdout).toContain('streams/v1/index.json');
      expect(first.stderr).toMatch(/mirror \d+ files: /);
      expect(first.stderr).toContain('UNSIGNED');
      const again = await kiln(
        'mirror',
        server.url,
        out,
        '--keyring',
        join(keys, 'keyring.gpg'),
        '--max-versions',
        '1',
        'arch=amd64',
      );
      expect(again.stdout).toMatch(/\(0 downloaded, 0 resumed, \d+ already present/);
      const query = await kiln(
        'query',
        join(out, 'streams/v1/index.json'),
        '--output-format',
        '%(arch)s %(version_name)s',
      );
      expect(new Set(query.stdout.trim().split('\n'))).toEqual(
        new Set(['amd64 20250718', 'amd64 20240622_01', 'amd64 20231004.0']),
      );
    } finally {
      await server.close();
    }
  });

  it('exits non-zero from the real kiln process when verification fails', async () => {
    const main = resolve(import.meta.dirname, '../../main.ts');
    const upstream = join(dir, 'upstream');
    const failed = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        main,
        'stream',
        'verify',
        upstream,
        '--keyring',
        join(dir, 'keys2', 'keyring.gpg'),
      ],
      {
        encoding: 'utf8',
      },
    ).catch((e: unknown) => e as { code: number; stderr: string });
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(
      /signed by key [0-9A-F]{16}, which is not in the keyring/,
    );
    expect(await readFile(join(upstream, 'streams/v1/index.json'), 'utf8')).toContain('index:1.0');
  });
});
