import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  alterSignedByte,
  gpgvVerify,
  makeFixtureStream,
  makeOpenpgpTestKey,
  serveDirectory,
  type DirectoryServer,
  type FixtureStream,
  type TestKey,
} from '@kiln/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile } from '@kiln/node-kit';
import {
  allItems,
  latestVersions,
  mapToBootResources,
  mirrorStream,
  parseKeyring,
  readStream,
  signCleartext,
} from '../index.js';

let dir: string;
let upstreamKey: TestKey;
let mirrorKey: TestKey;
let fixture: FixtureStream;
let keyringPath: string;
const servers: DirectoryServer[] = [];
const UBUNTU_DOC = 'streams/v1/com.ubuntu.maas:stable:v3:download.sjson';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-mirror-'));
  [upstreamKey, mirrorKey] = await Promise.all([
    makeOpenpgpTestKey('upstream'),
    makeOpenpgpTestKey('mirror'),
  ]);
  fixture = await makeFixtureStream({
    dir: join(dir, 'fixture'),
    signing: { kind: 'openpgp', key: upstreamKey.signingKey },
    scale: 20,
  });
  keyringPath = join(dir, 'upstream.gpg');
  await writeFile(keyringPath, upstreamKey.publicKeyring);
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function serve(root: string): Promise<DirectoryServer> {
  const server = await serveDirectory(root);
  servers.push(server);
  return server;
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(root, prefix), { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listFiles(root, rel)));
    else out.push(rel);
  }
  return out.sort();
}

const fileGets = (server: DirectoryServer): string[] =>
  server.requests
    .filter((r) => !r.path.startsWith('/streams/'))
    .map((r) => decodeURIComponent(r.path.slice(1)));

describe('mirrorStream', () => {
  it('mirrors everything, keeps upstream signatures byte for byte, and re-runs fetch nothing', async () => {
    const server = await serve(fixture.root);
    const out = join(dir, 'full');
    const result = await mirrorStream(server.url, out, { keyring: keyringPath });
    expect(result.signing).toBe('upstream');
    expect(result.indexPath).toBe('streams/v1/index.sjson');
    expect(result.files).toMatchObject({
      total: fixture.files.size,
      downloaded: fixture.files.size,
      present: 0,
    });
    for (const doc of ['streams/v1/index.sjson', UBUNTU_DOC]) {
      expect(
        Buffer.compare(await readFile(join(out, doc)), await readFile(join(fixture.root, doc))),
      ).toBe(0);
    }
    const before = server.requests.length;
    const again = await mirrorStream(server.url, out, { keyring: keyringPath });
    expect(again.files).toMatchObject({ present: fixture.files.size, downloaded: 0 });
    expect(fileGets(server).length).toBe(fixture.files.size);
    expect(server.requests.length - before).toBe(4);

    // The mirror, served by any web server, is a boot source verified by the upstream keyring.
    const mirrorServer = await serve(out);
    const reread = await readStream(mirrorServer.url, { keyring: keyringPath });
    expect(allItems(reread)).toHaveLength(
      allItems(await readStream(server.url, { keyring: keyringPath })).length,
    );
  });

  it('resumes after an interrupted run: only missing files, the cut one with Range', async () => {
    const server = await serve(fixture.root);
    const out = join(dir, 'interrupted');
    const victim = 'noble/amd64/20250718/squashfs';
    server.addFault({ kind: 'cut', path: `/${victim}`, afterBytes: 150_000, times: 1 });
    await expect(
      mirrorStream(server.url, out, { keyring: keyringPath, retries: 0 }),
    ).rejects.toMatchObject({
      code: 'HTTP_TRUNCATED',
    });
    const afterFirst = await listFiles(out);
    expect(afterFirst.some((f) => f.startsWith('streams/'))).toBe(false);
    expect(afterFirst).toContain(`${victim}.partial`);
    expect((await stat(join(out, `${victim}.partial`))).size).toBe(150_000);
    const fetchedFirst = new Set(afterFirst.filter((f) => !f.endsWith('.partial')));
    expect(fetchedFirst.size).toBeGreaterThan(0);

    const firstRunRequests = server.requests.length;
    const result = await mirrorStream(server.url, out, { keyring: keyringPath, retries: 0 });
    const second = server.requests
      .slice(firstRunRequests)
      .filter((r) => !r.path.startsWith('/streams/'));
    const secondPaths = second.map((r) => decodeURIComponent(r.path.slice(1))).sort();
    const missing = [...fixture.files.keys()].filter((p) => !fetchedFirst.has(p)).sort();
    expect(secondPaths).toEqual(missing);
    expect(second.find((r) => r.path === `/${victim}`)).toMatchObject({
      range: 'bytes=150000-',
      status: 206,
    });
    expect(result.files.resumed).toBe(1);
    expect(
      Buffer.compare(await readFile(join(out, victim)), await readFile(join(fixture.root, victim))),
    ).toBe(0);
    expect((await listFiles(out)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  describe('refuses a bad upstream and writes nothing', () => {
    async function corruptCopy(
      name: string,
      corrupt: (root: string) => Promise<void>,
    ): Promise<string> {
      const root = join(dir, `bad-${name}`);
      await cp(fixture.root, root, { recursive: true });
      await corrupt(root);
      return root;
    }
    const resign = async (root: string, edit: (text: string) => string): Promise<void> => {
      const text = await readFile(join(root, UBUNTU_DOC.replace('.sjson', '.json')), 'utf8');
      await writeFile(
        join(root, UBUNTU_DOC),
        await signCleartext(edit(text), upstreamKey.signingKey),
      );
    };

    it.each([
      [
        'altered',
        'STREAM_SIGNATURE_BAD',
        (root: string) => alterSignedByte(join(root, UBUNTU_DOC)),
      ],
      [
        'unsigned',
        'STREAM_SIGNATURE_MISSING',
        async (root: string) =>
          writeFile(
            join(root, UBUNTU_DOC),
            await readFile(join(root, UBUNTU_DOC.replace('.sjson', '.json'))),
          ),
      ],
      [
        'unknown-key',
        'STREAM_SIGNATURE_UNKNOWN_KEY',
        async (root: string) => {
          const text = await readFile(join(root, UBUNTU_DOC.replace('.sjson', '.json')), 'utf8');
          await writeFile(join(root, UBUNTU_DOC), await signCleartext(text, mirrorKey.signingKey));
        },
      ],
      [
        'bad-json',
        'STREAM_JSON_INVALID',
        (root: string) => resign(root, (t) => t.replace('"products"', '"products" ,,')),
      ],
      [
        'dotdot',
        'STREAM_PATH_UNSAFE',
        (root: string) =>
          resign(root, (t) =>
            t.replace('"noble/amd64/20250718/squashfs"', '"noble/../../../etc/passwd"'),
          ),
      ],
    ])('%s → %s', async (name, code, corrupt) => {
      const root = await corruptCopy(name, corrupt);
      const server = await serve(root);
      const out = join(dir, `out-${name}`);
      const error = await mirrorStream(server.url, out, { keyring: keyringPath }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code });
      if (code.startsWith('STREAM_SIGNATURE'))
        expect((error as Error).message).toContain(UBUNTU_DOC);
      expect(await listFiles(out)).toEqual([]);
      expect(fileGets(server)).toEqual([]);
    });
  });

  it('writes an unsigned .json mirror when filters change documents and no key is given', async () => {
    const server = await serve(fixture.root);
    const out = join(dir, 'filtered-unsigned');
    const result = await mirrorStream(server.url, out, {
      keyring: keyringPath,
      filters: ['arch=amd64', 'os=ubuntu'],
      maxVersions: 1,
    });
    expect(result.signing).toBe('unsigned');
    expect(result.indexPath).toBe('streams/v1/index.json');
    const files = await listFiles(out);
    expect(files.filter((f) => f.startsWith('streams/'))).toEqual([
      'streams/v1/com.ubuntu.maas:stable:v3:download.json',
      'streams/v1/index.json',
    ]);
    const stream = await readStream(join(out, result.indexPath));
    const items = allItems(stream);
    expect(new Set(items.map((i) => i.arch))).toEqual(new Set(['amd64']));
    expect(new Set(items.map((i) => i.version_name))).toEqual(new Set(['20250718']));
    expect(files.filter((f) => !f.startsWith('streams/')).sort()).toEqual(
      [...new Set(items.map((i) => i.path ?? ''))].sort(),
    );
  });

  it('re-signs only the documents a filter changed when given a key', async () => {
    const server = await serve(fixture.root);
    const out = join(dir, 'filtered-signed');
    const result = await mirrorStream(server.url, out, {
      keyring: keyringPath,
      filters: ['version_name!=20250101'],
      signKey: Buffer.from(mirrorKey.privateKeyArmored),
    });
    expect(result.signing).toBe('upstream');
    expect(result.documents).toEqual(
      expect.arrayContaining([
        { path: UBUNTU_DOC, signing: 'resigned' },
        {
          path: 'streams/v1/com.ubuntu.maas:stable:1:bootloader-download.sjson',
          signing: 'upstream',
        },
        { path: 'streams/v1/index.sjson', signing: 'upstream' },
      ]),
    );
    await expect(readStream(out, { keyring: keyringPath })).rejects.toMatchObject({
      code: 'STREAM_SIGNATURE_UNKNOWN_KEY',
    });
    const both = await parseKeyring(
      Buffer.concat([upstreamKey.publicKeyring, mirrorKey.publicKeyring]),
    );
    const stream = await readStream(out, { keyring: both });
    expect(
      new Set(
        allItems(stream)
          .filter((i) => i.os === 'ubuntu')
          .map((i) => i.version_name),
      ),
    ).toEqual(new Set(['20250718']));
    const mirrorKeyring = join(dir, 'mirror.gpg');
    await writeFile(mirrorKeyring, mirrorKey.publicKeyring);
    expect((await gpgvVerify(mirrorKeyring, join(out, UBUNTU_DOC))).code).toBe(0);
  });

  it('mirrors an unsigned .json upstream and a local directory (file copies checked by sha256)', async () => {
    const server = await serve(fixture.root);
    const out = join(dir, 'unsigned-upstream');
    const unsigned = await mirrorStream(`${server.url}streams/v1/index.json`, out, {
      filters: ['os=centos'],
    });
    expect(unsigned).toMatchObject({ signing: 'unsigned', indexPath: 'streams/v1/index.json' });
    const centos = allItems(await readStream(join(out, 'streams/v1/index.json')));
    expect(new Set(centos.map((i) => i.os))).toEqual(new Set(['centos']));

    const local = join(dir, 'from-local');
    const result = await mirrorStream(fixture.root, local, { keyring: keyringPath });
    expect(result).toMatchObject({
      signing: 'upstream',
      files: { downloaded: fixture.files.size },
    });
    await readStream(local, { keyring: keyringPath });

    const broken = join(dir, 'local-broken');
    await cp(fixture.root, broken, { recursive: true });
    await writeFile(join(broken, 'centos/centos70/amd64/20240622_01/root-tgz'), 'not the image');
    await expect(
      mirrorStream(broken, join(dir, 'from-broken'), {
        keyring: keyringPath,
        filters: ['os=centos'],
      }),
    ).rejects.toMatchObject({
      code: 'STREAM_CHECKSUM_MISMATCH',
    });
    expect(
      (await listFiles(join(dir, 'from-broken'))).filter((f) => f.includes('root-tgz')),
    ).toEqual(['centos/centos70/amd64/20240622_01/root-tgz.manifest']);
  });

  it('works as a boot source when served by another web server (python3 -m http.server)', async () => {
    const server = await serve(fixture.root);
    const out = join(dir, 'for-python');
    await mirrorStream(server.url, out, {
      keyring: keyringPath,
      filters: ['release=noble'],
      signKey: mirrorKey.signingKey,
    });
    const python = spawn(
      '/usr/bin/python3',
      ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const port = await new Promise<string>((resolvePort, reject) => {
        python.stdout.on('data', (chunk: Buffer) => {
          const m = /port (\d+)/.exec(chunk.toString());
          if (m?.[1] !== undefined) resolvePort(m[1]);
        });
        python.once('exit', (code) => {
          reject(new Error(`http.server exited ${String(code)}`));
        });
      });
      const both = await parseKeyring(
        Buffer.concat([upstreamKey.publicKeyring, mirrorKey.publicKeyring]),
      );
      const stream = await readStream(`http://127.0.0.1:${port}/`, { keyring: both });
      const resources = mapToBootResources(latestVersions(allItems(stream)));
      expect(resources.filter((r) => r.os === 'ubuntu').every((r) => r.release === 'noble')).toBe(
        true,
      );
      const kernel = resources
        .find((r) => r.architecture === 'amd64/ga-24.04')
        ?.files.find((f) => f.kind === 'kernel');
      expect(kernel).toBeDefined();
      const copy = join(dir, 'kernel-from-python');
      const got = await downloadFile(`http://127.0.0.1:${port}/${kernel!.path}`, copy, {
        sha256: kernel!.sha256,
        size: kernel!.size,
      });
      expect(got.size).toBe(kernel!.size);
    } finally {
      python.kill();
    }
  });

  it('prunes files of versions that --max-versions or filters dropped, and nothing else', async () => {
    const server = await serve(fixture.root);
    const out = join(dir, 'pruned');
    await mirrorStream(server.url, out, { keyring: keyringPath, filters: ['os=ubuntu'] });
    await writeFile(join(out, 'operator-notes.txt'), 'keep me');
    const before = await listFiles(out);
    expect(before.some((f) => f.includes('/20250101/'))).toBe(true);
    const result = await mirrorStream(server.url, out, {
      keyring: keyringPath,
      filters: ['os=ubuntu'],
      maxVersions: 1,
    });
    const after = await listFiles(out);
    expect(after.some((f) => f.includes('/20250101'))).toBe(false);
    expect(result.files.pruned).toBe(before.filter((f) => f.includes('/20250101/')).length);
    expect(after).toContain('operator-notes.txt');
    const items = allItems(await readStream(join(out, result.indexPath)));
    for (const item of items) if (item.path !== undefined) expect(after).toContain(item.path);
    await mirrorStream(server.url, out, {
      keyring: keyringPath,
      filters: ['os=centos'],
      prune: false,
    });
    expect(await listFiles(out)).toEqual(
      expect.arrayContaining(after.filter((f) => !f.startsWith('streams/'))),
    );
    expect(after).toContain('streams/v1/index.json');
    const whole = await mirrorStream(server.url, out, { keyring: keyringPath, prune: false });
    expect(whole.signing).toBe('upstream');
    // The unsigned index of the earlier filtered runs would now describe an older mirror.
    expect(await listFiles(out)).not.toContain('streams/v1/index.json');
  });
});
