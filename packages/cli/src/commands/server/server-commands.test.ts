import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { describeEachDialect } from '@kiln/testkit';
import { apiFetch } from '@kiln/region/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerServerCommands, type ServerCommandDeps } from './index.js';

const discard = new Writable({ write: (_chunk, _enc, done) => done() });

async function run(
  args: string[],
  env: Record<string, string>,
  extra: Partial<ServerCommandDeps> = {},
): Promise<string> {
  let out = '';
  const program = new Command('kiln').exitOverride().configureOutput({
    writeOut: (text) => (out += text),
    writeErr: (text) => (out += text),
  });
  registerServerCommands(program, { env, logDestination: discard, ...extra });
  for (const command of program.commands)
    command.exitOverride().configureOutput(program.configureOutput());
  await program.parseAsync(['node', 'kiln', ...args]);
  return out;
}

describeEachDialect('kiln server commands', (context) => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kiln-cli-'));
    env = {
      KILN_DATA_DIR: dataDir,
      KILN_DATABASE_URL: context.database().url,
      KILN_LISTEN_ADDRESS: '127.0.0.1',
      KILN_REGION_PORT: '0',
    };
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('init creates the schema and a stable region identity', async () => {
    const first = await run(['init'], env);
    expect(first).toMatch(
      new RegExp(`Initialised .* \\(database: ${context.dialect}, region id: [a-z0-9]{6}\\)`),
    );
    const again = await run(['init'], env);
    expect(again.match(/region id: (\w+)/)?.[1]).toBe(first.match(/region id: (\w+)/)?.[1]);
  });

  it('createadmin creates an administrator and rejects bad input naming the field', async () => {
    expect(
      await run(
        ['createadmin', '--username', 'root', '--password', 'pw', '--email', 'root@example.com'],
        env,
      ),
    ).toMatch(/Created administrator root/);
    await expect(
      run(
        ['createadmin', '--username', 'root', '--password', 'pw', '--email', 'r@example.com'],
        env,
      ),
    ).rejects.toThrow(/username: A user with that username already exists/);
    await expect(
      run(['createadmin', '--username', 'bob', '--password', 'pw', '--email', 'nope'], env),
    ).rejects.toThrow(/email: Enter a valid email address/);
    await expect(
      run(['createadmin', '--username', 'bob', '--email', 'b@example.com'], env),
    ).rejects.toThrow(/--password is required/);
  });

  it('apikey lists, generates and deletes keys', async () => {
    const first = (await run(['apikey', '--username', 'root'], env)).trim();
    expect(first).toMatch(/^\w{18}:\w{18}:\w{32}$/);
    expect((await run(['apikey', '--username', 'root'], env)).trim()).toBe(first);
    const second = (await run(['apikey', '--username', 'root', '--generate'], env)).trim();
    expect(second).not.toBe(first);
    expect((await run(['apikey', '--username', 'root'], env)).trim().split('\n')).toEqual([
      first,
      second,
    ]);
    await run(['apikey', '--username', 'root', '--delete', second], env);
    expect((await run(['apikey', '--username', 'root'], env)).trim()).toBe(first);
    await expect(run(['apikey', '--username', 'ghost'], env)).rejects.toThrow(
      /No User matches the given query/,
    );
  });

  it('secret is generated once and then stable', async () => {
    const secret = (await run(['secret'], env)).trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect((await run(['secret'], env)).trim()).toBe(secret);
  });

  it('reports an invalid setting by name', async () => {
    await expect(run(['init'], { ...env, KILN_REGION_PORT: 'abc' })).rejects.toThrow(
      /region_port \(KILN_REGION_PORT\) must be a port number/,
    );
    await expect(run(['init', '--tftp-port', '99999'], env)).rejects.toThrow(
      /tftp_port \(--tftp-port flag\)/,
    );
  });

  it('reads settings from the YAML file named by --config, below the environment', async () => {
    const file = join(dataDir, 'kiln.yaml');
    await writeFile(file, `data_dir: ${join(dataDir, 'from-file')}\nregion_port: 1\n`);
    const { KILN_DATA_DIR: _unused, ...withoutDir } = env;
    const out = await run(['init', '--config', file], withoutDir);
    expect(out).toContain(`Initialised ${join(dataDir, 'from-file')}`);
    await writeFile(file, 'region_port: [1, 2]\n');
    await expect(run(['init', '--config', file], { ...env, KILN_REGION_PORT: '' })).rejects.toThrow(
      /region_port \(region_port in .*kiln\.yaml\) must be a port number/,
    );
  });

  it('start serves the API; flags override the environment', async () => {
    let stop: (() => Promise<void>) | undefined;
    let url = '';
    const out = await run(
      ['start', '--region-port', '0'],
      { ...env, KILN_REGION_PORT: '1' },
      {
        onStarted: (s, u) => {
          stop = s;
          url = u;
        },
      },
    );
    try {
      expect(out).toContain(`Kiln region is running at ${url}`);
      // An admin (root) already exists, so no first-admin credentials are printed.
      expect(out).not.toMatch(/password/);
      const version = await apiFetch(url, 'version/');
      expect(version.status).toBe(200);
    } finally {
      await stop?.();
    }
  });
});

describeEachDialect('kiln start on an empty database', (context) => {
  it('creates admin with a random password and prints a working API key once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kiln-cli-'));
    const env = {
      KILN_DATA_DIR: dataDir,
      KILN_DATABASE_URL: context.database().url,
      KILN_LISTEN_ADDRESS: '127.0.0.1',
      KILN_REGION_PORT: '0',
    };
    let stop: (() => Promise<void>) | undefined;
    try {
      const out = await run(['start'], env, { onStarted: (s) => (stop = s) });
      const key = /API key \(shown once\): (\S+)/.exec(out)?.[1] ?? '';
      const url = /kiln login admin (\S+) /.exec(out)?.[1] ?? '';
      expect(out).toMatch(/Created administrator "admin" with password: \S{12,}/);
      const whoami = await apiFetch(url, 'users/?op=whoami', { apiKey: key });
      expect(whoami.status).toBe(200);
      expect(((await whoami.json()) as { username: string }).username).toBe('admin');
      // The default boot source and its selection exist after the first start.
      const sources = (await (await apiFetch(url, 'boot-sources/', { apiKey: key })).json()) as {
        url: string;
      }[];
      expect(sources.map((s) => s.url)).toEqual(['http://images.maas.io/ephemeral-v3/stable/']);
    } finally {
      await stop?.();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
