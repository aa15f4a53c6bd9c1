import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeRegion } from '@kiln/region/testing';
import { runCli } from '../../program.js';
import { ProfileStore } from '../../profiles/index.js';
import { captureIo } from '../../client/test-support/capture-io.js';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

// The CLI runs in-process (runCli with captured streams) against a real region on 127.0.0.1,
// once per database dialect.
describeRegion('kiln CLI against a real region', (region) => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-cli-e2e-'));
    env = { KILN_PROFILES_FILE: join(dir, 'profiles.json') };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function kiln(args: string[], stdin?: string): Promise<Run> {
    const captured = captureIo(env, stdin);
    const code = await runCli(['node', 'kiln', ...args], captured.io);
    return { code, out: captured.stdout(), err: captured.stderr() };
  }
  const json = (run: Run): unknown => JSON.parse(run.out);

  it('logs in with a valid key, storing URL, key and description in an owner-only file', async () => {
    const login = await kiln(['login', 'admin', region().url, region().adminApiKey]);
    expect(login.err).toBe('');
    expect(login.code).toBe(0);
    expect(login.out).toContain("with the profile name 'admin'");
    const profile = await new ProfileStore(env.KILN_PROFILES_FILE!).get('admin');
    expect(profile?.url).toBe(`${region().url}api/2.0/`);
    expect(profile?.credentials).toBe(region().adminApiKey);
    expect(profile?.description.resources.length).toBeGreaterThan(5);
    expect((await stat(env.KILN_PROFILES_FILE!)).mode & 0o777).toBe(0o600);
  });

  it('refuses a wrong key with exit 1 and stores nothing', async () => {
    const [consumer, token] = region().adminApiKey.split(':');
    const bad = await kiln(['login', 'bad', region().url, `${consumer}:${token}:wrongsecret`]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/invalid API key/);
    expect(await new ProfileStore(env.KILN_PROFILES_FILE!).get('bad')).toBeUndefined();
  });

  it('reads the key from stdin with -, and accepts the API root as URL', async () => {
    const login = await kiln(
      ['login', 'user', `${region().url}api/2.0`, '-'],
      `${region().userApiKey}\n`,
    );
    expect(login.code).toBe(0);
    expect((await kiln(['user', 'users', 'whoami'])).out).toMatch(/"username": "user"/);
  });

  it('kiln p version read', async () => {
    const run = await kiln(['admin', 'version', 'read']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^\{\n {2}"capabilities": \[/);
    expect(json(run)).toMatchObject({
      capabilities: expect.arrayContaining(['authenticate-api']) as unknown,
    });
  });

  it('kiln p users whoami', async () => {
    const run = await kiln(['admin', 'users', 'whoami']);
    expect(run.code).toBe(0);
    expect(json(run)).toMatchObject({ username: 'admin', is_superuser: true });
  });

  it('kiln p boot-sources read lists the default source', async () => {
    const run = await kiln(['admin', 'boot-sources', 'read']);
    expect(run.code).toBe(0);
    expect(json(run)).toEqual([
      expect.objectContaining({ id: 1, url: 'http://images.maas.io/ephemeral-v3/stable/' }),
    ]);
  });

  it('kiln p boot-sources create url=... keyring_filename=... (multipart body)', async () => {
    const run = await kiln([
      'admin',
      'boot-sources',
      'create',
      'url=http://mirror.example/ephemeral-v3/stable/',
      'keyring_filename=/usr/share/keyrings/ubuntu-cloudimage-keyring.gpg',
    ]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(json(run)).toMatchObject({
      url: 'http://mirror.example/ephemeral-v3/stable/',
      keyring_filename: '/usr/share/keyrings/ubuntu-cloudimage-keyring.gpg',
    });
  });

  it('sends key@=FILE as a file part (keyring_data)', async () => {
    const keyring = join(dir, 'keyring.gpg');
    const bytes = Buffer.from([0x99, 0x01, 0x0d, 0x00, 0xff, 0x0a, 0x2d, 0x2d]);
    await writeFile(keyring, bytes);
    const run = await kiln([
      'admin',
      'boot-sources',
      'create',
      'url=http://files.example/s/',
      `keyring_data@=${keyring}`,
    ]);
    expect(run.code).toBe(0);
    const source = json(run) as { id: number; keyring_data: string };
    expect(Buffer.from(source.keyring_data, 'base64')).toEqual(bytes);
    const deleted = await kiln(['admin', 'boot-source', 'delete', String(source.id)]);
    expect(deleted).toEqual({ code: 0, out: '', err: '' });
  });

  it('kiln p boot-source-selections create 1 os=ubuntu release=jammy ... with repeated keys as lists', async () => {
    const run = await kiln([
      'admin',
      'boot-source-selections',
      'create',
      '1',
      'os=ubuntu',
      'release=jammy',
      'arches=amd64',
      'arches=arm64',
      'subarches=*',
      'labels=*',
    ]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const selection = json(run) as { id: number };
    expect(selection).toMatchObject({
      boot_source_id: 1,
      os: 'ubuntu',
      release: 'jammy',
      arches: ['amd64', 'arm64'],
      subarches: ['*'],
      labels: ['*'],
    });
    const read = await kiln(['admin', 'boot-source-selection', 'read', '1', String(selection.id)]);
    expect(json(read)).toMatchObject({ id: selection.id, release: 'jammy' });
  });

  it('a 4xx from the region: status and message on stderr, exit 2, nothing on stdout', async () => {
    const run = await kiln(['admin', 'boot-sources', 'create', 'keyring_filename=/x.gpg']);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toMatch(/^400 Bad Request\n/);
    expect(run.err).toMatch(/"url"/);
    const missing = await kiln(['admin', 'boot-source', 'read', '9999']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^404 Not Found/);
  });

  it('a non-admin gets the 403 message with exit 2', async () => {
    const run = await kiln(['user', 'boot-sources', 'read']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^403 Forbidden\n/);
  });

  it('anonymous profiles reach the anonymous API only', async () => {
    expect((await kiln(['login', 'guest', region().url])).code).toBe(0);
    expect((await kiln(['guest', 'version', 'read'])).code).toBe(0);
    const help = await kiln(['guest', '--help']);
    expect(help.out).not.toMatch(/boot-sources/);
  });

  it('warns when the stored description is stale, and refresh fixes it', async () => {
    const raw = JSON.parse(await readFile(env.KILN_PROFILES_FILE!, 'utf8')) as {
      profiles: Record<string, { description: { hash?: string } }>;
    };
    raw.profiles.admin!.description.hash = 'stale';
    await writeFile(env.KILN_PROFILES_FILE!, JSON.stringify(raw));
    const stale = await kiln(['admin', 'version', 'read']);
    expect(stale.code).toBe(0);
    expect(stale.err).toMatch(/WARNING: The API on the server differs .* `kiln refresh`/);
    expect((await kiln(['refresh'])).code).toBe(0);
    expect((await kiln(['admin', 'version', 'read'])).err).toBe('');
  });

  it('lists and logs out profiles', async () => {
    const list = await kiln(['list']);
    expect(
      list.out
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[0]),
    ).toEqual(['admin', 'guest', 'user']);
    expect((await kiln(['logout', 'guest'])).code).toBe(0);
    expect((await kiln(['guest', 'version', 'read'])).code).toBe(1);
  });
});
