import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrationStatus, openRegionDatabase } from '@kiln/region';
import { createMaasFixture, type MaasFixture } from '@kiln/region/testing';
import { createTestDatabase, type TestDatabase } from '@kiln/testkit';

const MAIN = resolve(import.meta.dirname, '../../main.ts');
const BIG = 48 * 1024 * 1024 + 5;

let maas: MaasFixture;
let kilnDb: TestDatabase;
let dataDir: string;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The real `kiln` process; `killWhen` is polled and, once true, the process gets SIGKILL. */
function kiln(args: string[], killWhen?: () => Promise<boolean>): Promise<Run> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', MAIN, 'migrate-from-maas', ...args],
    {
      env: { ...process.env, KILN_DATA_DIR: dataDir, KILN_DATABASE_URL: kilnDb.url },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let watching = killWhen !== undefined;
  const watch = async (): Promise<void> => {
    while (watching) {
      if (await (killWhen?.() ?? Promise.resolve(false))) {
        child.kill('SIGKILL');
        return;
      }
      await new Promise((r) => setImmediate(r));
    }
  };
  const watcher = watch();
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      watching = false;
      void watcher.then(() => done({ code, signal, stdout, stderr }));
    });
  });
}

beforeEach(async () => {
  maas = await createMaasFixture({ bigBytes: BIG });
  kilnDb = await createTestDatabase('postgres');
  dataDir = await mkdtemp(join(tmpdir(), 'kiln-migrate-'));
});

afterEach(async () => {
  await maas.drop();
  await kilnDb.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('kiln migrate-from-maas (the real process)', () => {
  it('dry-runs, survives kill -9 halfway through a large object, resumes it, then copies nothing', async () => {
    const dry = await kiln(['--database', maas.url, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/MAAS database: MAAS 3\.4 or earlier/);
    expect(dry.stdout).toMatch(
      /ubuntu\/jammy amd64\/ga-22\.04 \(synced\): set 20240301 stable, 3 files/,
    );
    expect(dry.stdout).toMatch(/skipped set 20240401: squashfs: 8000 of 999999 bytes were written/);
    expect(dry.stdout).toMatch(/rhel9 amd64\/generic \(uploaded, base rhel\/9\)/);
    expect(dry.stdout).toMatch(/Space: .* needed for \d+ distinct files/);
    expect(dry.stdout).toMatch(/Dry run: nothing was copied/);

    const big = maas.sha.big ?? '';
    const partial = join(dataDir, 'image-storage', 'maas-migration', `${big}.partial`);
    const partialSize = async (): Promise<number> =>
      (await stat(partial).catch(() => null))?.size ?? 0;
    const killed = await kiln(
      ['--database', maas.url, '--chunk-size', '65536'],
      async () => (await partialSize()) >= 8 * 1024 * 1024,
    );
    expect(killed.signal).toBe('SIGKILL');
    const left = await partialSize();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(BIG);
    // The killed run changed nothing in Kiln, and reads as interrupted (its process is gone).
    const database = await openRegionDatabase({ databaseUrl: kilnDb.url });
    try {
      expect(await database.db.selectFrom('boot_resources').selectAll().execute()).toEqual([]);
      expect((await migrationStatus(database.db))?.state).toBe('interrupted');
    } finally {
      await database.close();
    }

    const resumed = await kiln(['--database', maas.url, '--chunk-size', '1000003']);
    expect(resumed.stderr).not.toMatch(/Error/);
    expect(resumed.code).toBe(0);
    const at = Number(new RegExp(`Resumed ${big} at byte (\\d+)`).exec(resumed.stdout)?.[1]);
    expect(at).toBeGreaterThanOrEqual(left);
    expect(at).toBeLessThan(BIG);
    expect(resumed.stdout).toMatch(/Migrated 5 images/);
    expect(resumed.stdout).toMatch(/big amd64\/generic 20240330/);
    expect(resumed.stderr).toMatch(/PROBLEM digest e{1}f{1}(ef){31}/);
    expect(resumed.stderr).toMatch(/KEYRING .*Kiln uses its own keyring/);
    const stored = await readFile(join(dataDir, 'image-storage', big));
    expect(stored.length).toBe(BIG);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(big);

    const again = await kiln(['--database', maas.url]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Migrated 5 images: 0 files copied \(0 B read\)/);
    expect(again.stdout).toMatch(/0 resources and 0 sets created \(5 sets already there\)/);
  }, 600_000);

  it('exits 1 with a clear message when the MAAS database cannot be reached', async () => {
    const url = new URL(maas.url);
    url.pathname = '/no_such_maas_db';
    const failed = await kiln(['--database', url.toString()]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/Cannot connect to the MAAS database .*no_such_maas_db/);
  }, 120_000);
});
