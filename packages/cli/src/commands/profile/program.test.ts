import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { runCli } from '../../program.js';
import { ProfileStore } from '../../profiles/index.js';
import { captureIo } from '../../client/test-support/capture-io.js';
import { describeFixture } from '../../client/test-support/describe-fixture.js';

// These runs never reach a server: they cover the command tree built from a stored describe
// document and the profile commands that only touch the profiles file.
let dir: string;
let env: Record<string, string>;
let base: string;

// A loopback port that was just free: connections to it are refused.
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeEach(async () => {
  base = `http://127.0.0.1:${await closedPort()}/MAAS/api/2.0`;
  dir = await mkdtemp(join(tmpdir(), 'kiln-cli-program-'));
  env = { KILN_PROFILES_FILE: join(dir, 'profiles.json') };
  const store = new ProfileStore(env.KILN_PROFILES_FILE!);
  await store.put({
    name: 'admin',
    url: `${base}/`,
    credentials: 'a:b:c',
    description: describeFixture(base),
  });
  await store.put({
    name: 'anon',
    url: `${base}/`,
    credentials: null,
    description: describeFixture(base),
  });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function kiln(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const captured = captureIo(env);
  const code = await runCli(['node', 'kiln', ...args], captured.io);
  return { code, out: captured.stdout(), err: captured.stderr() };
}

describe('kiln program', () => {
  it('prints its version and lists profiles in the help', async () => {
    expect(await kiln('--version')).toEqual({ code: 0, out: '0.1.0\n', err: '' });
    const help = await kiln('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/login <profile-name> <url> \[credentials\]/);
    expect(help.out).toMatch(/admin\s+Interact with http:\/\/127\.0\.0\.1:\d+\/MAAS\/api\/2\.0\//);
  });

  it('lists profiles with their URLs', async () => {
    expect(await kiln('list')).toEqual({
      code: 0,
      out: `admin ${base}/\nanon ${base}/\n`,
      err: '',
    });
  });

  it('builds resources and actions from the describe document', async () => {
    const profileHelp = await kiln('admin', '--help');
    expect(profileHelp.out).toMatch(
      /boot-source-selections\s+Manage the collection of boot source selections\./,
    );
    expect(profileHelp.out).toMatch(/users\s+Manage the user accounts/);
    const resourceHelp = await kiln('admin', 'boot-resources', '--help');
    expect(resourceHelp.out).toMatch(/is-importing .*Importing status\./);
    const actionHelp = await kiln('admin', 'boot-source-selections', 'create', '--help');
    expect(actionHelp.code).toBe(0);
    expect(actionHelp.out).toMatch(/create \[options\] <boot_source_id> \[data\.\.\.\]/);
    expect(actionHelp.out).toContain('This method accepts keyword arguments.');
    expect(actionHelp.out).toContain(':param os: Required.');
    const noParams = await kiln('admin', 'boot-source-selections', 'read', '--help');
    expect(noParams.out).not.toContain('keyword arguments');
  });

  it('shows anonymous profiles only the anonymous API', async () => {
    const help = await kiln('anon', '--help');
    expect(help.out).toMatch(/version/);
    expect(help.out).not.toMatch(/boot-sources/);
  });

  it('rejects unknown resources, missing positionals and malformed key=value', async () => {
    const unknown = await kiln('admin', 'machines', 'read');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/unknown command 'machines'/);
    const missing = await kiln('admin', 'boot-source-selections', 'create');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/missing required argument 'boot_source_id'/);
    const malformed = await kiln('admin', 'boot-sources', 'create', 'url');
    expect(malformed).toEqual({
      code: 1,
      out: '',
      err: "Error: 'url' is not a name=value or name@=filename pair\n",
    });
  });

  it('reports an unreachable region without a stack trace', async () => {
    const result = await kiln('admin', 'users', 'read');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^Error: Cannot reach http:\/\/127\.0\.0\.1:\d+\/MAAS\/api\/2\.0\/users\/: ECONNREFUSED/,
    );
  });

  it('refresh names every profile it could not refresh and keeps them usable', async () => {
    const result = await kiln('refresh');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^Error: Could not refresh admin: Cannot reach .*; anon: Cannot reach /,
    );
    expect((await kiln('admin', '--help')).out).toMatch(/boot-sources/);
  });

  it('logs out, refusing unknown profiles', async () => {
    expect((await kiln('logout', 'anon')).code).toBe(0);
    expect((await kiln('list')).out).toBe(`admin ${base}/\n`);
    expect(await kiln('logout', 'anon')).toEqual({
      code: 1,
      out: '',
      err: "Error: Profile 'anon' not found.\n",
    });
    expect((await stat(env.KILN_PROFILES_FILE!)).mode & 0o777).toBe(0o600);
  });

  it('refuses profile names that are commands or not plain words, before any network access', async () => {
    for (const name of ['login', 'list', 'help', 'a b', '../x']) {
      const result = await kiln('login', name, `${base}/`, 'a:b:c');
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/^Error: Profile name/);
    }
    const malformed = await kiln('login', 'p', `${base}/`, 'not-a-key');
    expect(malformed.err).toMatch(/Malformed API key/);
  });

  it('names a corrupt profiles file', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(env.KILN_PROFILES_FILE!, '[]');
    const result = await kiln('admin', 'users', 'read');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/Profiles file .*profiles\.json is invalid/);
    const help = await kiln('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/login <profile-name>/);
    expect(help.err).toMatch(/is invalid/);
  });
});
