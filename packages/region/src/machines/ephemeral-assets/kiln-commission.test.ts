import { existsSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout, unlessAvailable } from '@kiln/testkit';
import { parseCommissioningInventory } from '../install-config/index.js';
import { ASSET_FILES, assetPath } from './asset-paths.js';
import { buildScriptsBundle, loadBuiltinScripts, type BundleScript } from './scripts-bundle.js';
import { writeTar } from './tar-writer.js';
import {
  startFakeMetadataServer,
  type FakeMetadataServer,
  type Signal,
} from './test-support/fake-metadata-server.js';
import { runProgram } from './test-support/processes.js';
import { renderCommissioningUserData } from './user-data.js';

// kiln-commission against this machine's real /proc and /sys, signalling to a loopback metadata
// server that parses the multipart bodies with @fastify/multipart, as the region will.

const creds = { consumer_key: 'ck-com', token_key: 'tk-com', token_secret: 'ts-com' };
const BUNDLE_URL = '/MAAS/metadata/latest/maas-scripts';

let dir: string;
let server: FakeMetadataServer;
let builtin: BundleScript[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-commission-test-'));
  server = await startFakeMetadataServer(creds);
  builtin = await loadBuiltinScripts();
});
afterEach(() => {
  server.signals.length = 0;
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function commission(
  extraArgs: string[] = [],
  shell: string[] = ['dash'],
  env: Record<string, string> = {},
) {
  const [cmd = 'dash', ...shellArgs] = shell;
  return runProgram(
    cmd,
    [
      ...shellArgs,
      assetPath(ASSET_FILES.commissioning),
      '--metadata-url',
      `${server.url}/MAAS/metadata/`,
      ...extraArgs,
    ],
    {
      KILN_OAUTH: `${creds.consumer_key}:${creds.token_key}:${creds.token_secret}`,
      TMPDIR: dir,
      ...env,
    },
  );
}

const resultOf = (name: string): Signal | undefined =>
  server.signals.find((s) => s.files[name] !== undefined);

describe('kiln-commission', () => {
  it('runs the built-in scripts (via the commissioning user-data) and the inventory matches this machine', async () => {
    const bundle = buildScriptsBundle(
      builtin.map((s, i) => ({ ...s, scriptResultId: 100 + i, timeoutSeconds: 60 })),
    );
    server.files.set(BUNDLE_URL, bundle.tar);
    const userData = await renderCommissioningUserData({
      metadataUrl: `${server.url}/MAAS/metadata/`,
      credentials: creds,
    });
    await writeFile(join(dir, 'user-data'), userData);
    const run = await runProgram('sh', [join(dir, 'user-data')], { TMPDIR: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(server.unauthorized).toEqual([]);

    const names = builtin.map((s) => s.name);
    expect(names).toEqual(['00-cpu', '05-platform', '10-memory', '20-storage', '30-network']);
    expect(server.signals).toHaveLength(names.length * 2 + 1);
    names.forEach((name, i) => {
      const start = server.signals[i * 2]!;
      const done = server.signals[i * 2 + 1]!;
      expect(start.fields).toEqual({
        status: 'WORKING',
        error: `Starting ${name} [${i + 1}/${names.length}]`,
        script_result_id: String(100 + i),
      });
      expect(done.fields).toMatchObject({
        status: 'WORKING',
        exit_status: '0',
        script_result_id: String(100 + i),
      });
      expect(Number(done.fields.runtime)).toBeGreaterThanOrEqual(0);
      expect(Object.keys(done.files).sort()).toEqual([name, `${name}.err`, `${name}.out`]);
      expect(done.files[`${name}.err`]).toBe('');
    });
    expect(server.signals.at(-1)!.fields).toEqual({
      status: 'OK',
      error: `All ${names.length} scripts passed`,
    });

    const inventory = parseCommissioningInventory(
      names.map((n) => resultOf(n)!.files[`${n}.out`]!),
    );
    expect(inventory.cpu.count).toBe(cpus().length);
    expect(inventory.memory.total_bytes).toBe(totalmem());
    expect(inventory.memory.total_mib).toBe(Math.floor(totalmem() / 1048576));
    expect(inventory.platform?.firmware).toBe(existsSync('/sys/firmware/efi') ? 'uefi' : 'bios');

    // Disks, read independently from /sys/block (512-byte sectors).
    const sysDisks: [string, number][] = [];
    for (const name of await readdir('/sys/block')) {
      if (/^(loop|ram|zram|sr|fd|nbd)\d/.test(name)) continue;
      const size = Number(await readFile(`/sys/block/${name}/size`, 'utf8')) * 512;
      if (size > 0) sysDisks.push([name, size]);
    }
    expect(inventory.block_devices.map((d) => [d.name, d.size]).sort()).toEqual(sysDisks.sort());

    const sysNics: [string, string][] = [];
    for (const name of await readdir('/sys/class/net')) {
      if ((await readFile(`/sys/class/net/${name}/type`, 'utf8')).trim() === '772') continue;
      sysNics.push([name, (await readFile(`/sys/class/net/${name}/address`, 'utf8')).trim()]);
    }
    expect(inventory.interfaces.map((n) => [n.name, n.mac_address]).sort()).toEqual(sysNics.sort());
    for (const nic of inventory.interfaces) {
      expect(nic.operstate).toBe(
        (await readFile(`/sys/class/net/${nic.name}/operstate`, 'utf8')).trim(),
      );
    }
  });

  it('a failing script: its result carries the exit status and output, the others still run, final FAILED', async () => {
    const broken = {
      name: '15-broken',
      content: Buffer.from('#!/bin/sh\necho partial-output\necho disk-on-fire >&2\nexit 3\n'),
    };
    const scripts = [
      ...builtin.filter((s) => s.name === '00-cpu' || s.name === '10-memory'),
      broken,
    ].sort((a, b) => a.name.localeCompare(b.name));
    server.files.set(BUNDLE_URL, buildScriptsBundle(scripts).tar);
    const run = await commission();
    expect(run.code).toBe(1);
    const result = resultOf('15-broken')!;
    expect(result.fields).toMatchObject({ status: 'WORKING', exit_status: '3' });
    expect(result.fields.script_result_id).toBeUndefined();
    expect(result.files['15-broken.out']).toBe('partial-output\n');
    expect(result.files['15-broken.err']).toBe('disk-on-fire\n');
    expect(result.files['15-broken']).toBe('partial-output\ndisk-on-fire\n');
    expect(resultOf('10-memory')!.fields.exit_status).toBe('0');
    const final = server.signals.at(-1)!;
    expect(final.fields).toEqual({ status: 'FAILED', error: 'Failed scripts: 15-broken(exit 3)' });
    expect(final.files).toEqual({ '15-broken': 'partial-output\ndisk-on-fire\n' });
  });

  it('a script past its timeout is stopped and reported TIMEDOUT', async () => {
    const slow = {
      name: '50-slow',
      content: Buffer.from('#!/bin/sh\necho started\nexec sleep 30\n'),
      timeoutSeconds: 1,
    };
    server.files.set(BUNDLE_URL, buildScriptsBundle([slow]).tar);
    const run = await commission();
    expect(run.code).toBe(1);
    const result = resultOf('50-slow')!;
    expect(result.fields.status).toBe('TIMEDOUT');
    expect(result.files['50-slow']).toBe('started\n50-slow: timed out after 1s\n');
    expect(server.signals.at(-1)!.fields.status).toBe('FAILED');
  });

  it('a script whose bytes differ from the index is not run', async () => {
    const good = buildScriptsBundle([
      { name: '60-check', content: Buffer.from('#!/bin/sh\ntouch "$TMPDIR/ran"\n') },
    ]);
    const index = `kiln-scripts 1\n60-check 60 ${good.index[0]!.sha256} -\n`;
    const tar = writeTar([
      { name: 'index', mode: 0o644, content: Buffer.from(index) },
      { name: 'scripts/', mode: 0o755 },
      {
        name: 'scripts/60-check',
        mode: 0o755,
        content: Buffer.from('#!/bin/sh\ntouch "$TMPDIR/ran"\necho tampered\n'),
      },
    ]);
    server.files.set(BUNDLE_URL, tar);
    const run = await commission();
    expect(run.code).toBe(1);
    expect(resultOf('60-check')!.files['60-check.err']).toBe(
      '60-check: sha256 does not match the bundle index; not run\n',
    );
    expect(await readdir(dir)).not.toContain('ran');
  });

  it('a missing bundle: FAILED with the download error, nothing run', async () => {
    server.files.delete(BUNDLE_URL);
    const run = await commission();
    expect(run.code).toBe(1);
    expect(server.signals).toHaveLength(1);
    expect(server.signals[0]!.fields).toEqual({
      status: 'FAILED',
      error: `Could not download the scripts bundle from ${server.url}/MAAS/metadata/latest/maas-scripts`,
    });
    expect(server.signals[0]!.files['bundle-download']).toContain('404');
  });
  it.skipIf(
    skipWithout(
      unlessAvailable(
        existsSync('/bin/busybox'),
        '/bin/busybox is missing (Debian package busybox)',
      ),
    ),
  )('busybox ash + wget send the same multipart signals', async () => {
    const broken = {
      name: '15-broken',
      content: Buffer.from('#!/bin/sh\necho out-line\nexit 4\n'),
    };
    const memory = builtin.find((s) => s.name === '10-memory')!;
    server.files.set(BUNDLE_URL, buildScriptsBundle([memory, broken]).tar);
    const run = await commission([], ['/bin/busybox', 'ash'], { KILN_HTTP: 'wget' });
    expect(run.code).toBe(1);
    expect(resultOf('10-memory')!.fields).toMatchObject({ status: 'WORKING', exit_status: '0' });
    expect(JSON.parse(resultOf('10-memory')!.files['10-memory.out']!)).toEqual({
      memory: { total_bytes: totalmem(), total_mib: Math.floor(totalmem() / 1048576) },
    });
    expect(resultOf('15-broken')!.files['15-broken']).toBe('out-line\n');
    expect(server.signals.at(-1)!.fields).toEqual({
      status: 'FAILED',
      error: 'Failed scripts: 15-broken(exit 4)',
    });
  });

  it("a machine clock two hours behind: re-signed with the server's Date after one 401", async () => {
    const skewed = await startFakeMetadataServer(creds, { clockOffsetSeconds: 7200 });
    try {
      const memory = builtin.find((s) => s.name === '10-memory')!;
      skewed.files.set(BUNDLE_URL, buildScriptsBundle([memory]).tar);
      const run = await runProgram(
        'dash',
        [assetPath(ASSET_FILES.commissioning), '--metadata-url', `${skewed.url}/MAAS/metadata/`],
        {
          KILN_OAUTH: `${creds.consumer_key}:${creds.token_key}:${creds.token_secret}`,
          TMPDIR: dir,
        },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(skewed.unauthorized).toEqual(['GET /MAAS/metadata/latest/maas-scripts']);
      expect(skewed.signals.map((sig) => sig.fields.status)).toEqual(['WORKING', 'WORKING', 'OK']);
    } finally {
      await skewed.close();
    }
  });
  it('the region refusing the final OK signal (409) makes the runner fail', async () => {
    const memory = builtin.find((s) => s.name === '10-memory')!;
    server.files.set(BUNDLE_URL, buildScriptsBundle([memory]).tar);
    server.refusedSignalStatuses.add('OK');
    try {
      const run = await commission();
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `signal OK to ${server.url}/MAAS/metadata/latest/?op=signal failed`,
      );
      expect(run.stderr).toContain('HTTP 409');
      expect(server.signals.map((s) => s.fields.status)).toEqual(['WORKING', 'WORKING']);
    } finally {
      server.refusedSignalStatuses.clear();
    }
  });
});
