import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildScriptsBundle, loadBuiltinScripts } from './scripts-bundle.js';
import {
  startFakeMetadataServer,
  type FakeMetadataServer,
} from './test-support/fake-metadata-server.js';
import { runProgram } from './test-support/processes.js';
import { renderEnlistUserData } from './user-data.js';

// kiln-enlist on this machine: its real NICs and architecture go to an anonymous machine
// creation, its token comes from the preseed, and commissioning then runs with that token.

const creds = { consumer_key: 'ck-enl', token_key: 'tk-enl', token_secret: 'ts-enl' };
let dir: string;
let server: FakeMetadataServer;
let physicalMacs: string[];

const ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  ia32: 'i386',
  ppc64: 'ppc64el',
  s390x: 's390x',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-enlist-test-'));
  server = await startFakeMetadataServer(creds);
  physicalMacs = [];
  for (const name of (await readdir('/sys/class/net')).sort()) {
    if (!existsSync(`/sys/class/net/${name}/device`)) continue;
    const mac = (await readFile(`/sys/class/net/${name}/address`, 'utf8')).trim();
    if (mac !== '02:00:00:00:00:02' && mac !== '00:00:00:00:00:00') physicalMacs.push(mac);
  }
  const preseed = [
    '#cloud-config',
    'datasource:',
    '  MAAS:',
    `    metadata_url: ${server.url}/MAAS/metadata/`,
    `    consumer_key: ${creds.consumer_key}`,
    `    token_key: ${creds.token_key}`,
    `    token_secret: '${creds.token_secret}'`,
    '',
  ].join('\n');
  server.files.set('/MAAS/metadata/latest/by-id/enl123/?op=get_preseed', Buffer.from(preseed));
  const memory = (await loadBuiltinScripts()).filter((s) => s.name === '10-memory');
  server.files.set('/MAAS/metadata/latest/maas-scripts', buildScriptsBundle(memory).tar);
});
afterEach(() => {
  server.created.length = 0;
  server.signals.length = 0;
  server.registeredMacs.clear();
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function enlist(commission = true) {
  const userData = await renderEnlistUserData({ maasUrl: `${server.url}/MAAS/`, commission });
  await writeFile(join(dir, 'user-data'), userData);
  return runProgram('sh', [join(dir, 'user-data')], { TMPDIR: dir });
}

describe('kiln-enlist', () => {
  it('creates the machine with its architecture and physical MACs, then commissions with its token', async () => {
    expect(physicalMacs.length).toBeGreaterThan(0);
    const run = await enlist();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('enlisted as enl123');
    expect(server.created).toEqual([
      {
        architecture: [`${ARCH[process.arch] ?? process.arch}/generic`],
        commission: ['true'],
        mac_addresses: physicalMacs,
      },
    ]);
    // Commissioning signals were signed with the token read from the preseed.
    expect(server.unauthorized).toEqual([]);
    expect(server.signals.map((s) => s.fields.status)).toEqual(['WORKING', 'WORKING', 'OK']);
  });

  it('an already registered MAC: nothing is created', async () => {
    server.registeredMacs.add(physicalMacs[0]!);
    const run = await enlist();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('is already registered');
    expect(server.created).toEqual([]);
    expect(server.signals).toEqual([]);
  });

  it('--no-commission only creates the machine', async () => {
    const run = await enlist(false);
    expect(run.code, run.stderr).toBe(0);
    expect(server.created[0]?.commission).toEqual(['false']);
    expect(server.signals).toEqual([]);
  });
});
