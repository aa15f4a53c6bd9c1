import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { createLogger, loadConfig } from '@kiln/node-kit';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '@kiln/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/index.js';
import { CORE_HANDLERS, json, type HandlerDeclaration } from '../api/index.js';
import { getOrCreateRackSecret } from '../region-identity/index.js';
import { startRegion } from './start-region.js';

function slowHandler(gate: Promise<void>, entered: () => void): HandlerDeclaration {
  return {
    name: 'SlowHandler',
    doc: 'Answers once the test opens the gate.',
    path: 'slow/',
    access: 'anon',
    actions: [
      {
        method: 'GET',
        op: null,
        doc: 'Wait for the gate.',
        run: async () => {
          entered();
          await gate;
          return json({ done: true });
        },
      },
    ],
  };
}

describeEachDialect('startRegion', (context) => {
  it('logs each request with its own child logger and finishes in-flight requests on close', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kiln-start-'));
    const lines: Record<string, unknown>[] = [];
    const raw: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          raw.push(line);
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let entered = (): void => undefined;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const config = loadConfig({
      env: {
        KILN_DATA_DIR: dataDir,
        KILN_DATABASE_URL: context.database().url,
        KILN_LISTEN_ADDRESS: '127.0.0.1',
        KILN_REGION_PORT: '0',
      },
    });
    const region = await startRegion({
      config,
      logger: createLogger({ level: 'debug', destination }),
      handlers: [...CORE_HANDLERS, slowHandler(gate, () => entered())],
    });
    try {
      expect(region.url).toBe(`http://127.0.0.1:${region.port}/MAAS/`);
      expect((await readFile(join(dataDir, 'region_id'), 'utf8')).trim()).toBe(
        region.context.regionId,
      );

      const pending = fetch(new URL('api/2.0/slow/', region.url));
      await inside;
      const closed = region.close();
      open();
      const response = await pending;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ done: true });
      await closed;
      await expect(fetch(new URL('api/2.0/version/', region.url))).rejects.toThrow();
      await expect(region.db.selectFrom('users').selectAll().execute()).rejects.toThrow();

      const requestLines = lines.filter((l) => l.module === 'http' && typeof l.reqId === 'string');
      expect(requestLines.some((l) => l.msg === 'request completed')).toBe(true);
      // Request lines are debug (20): at the default info level they are not written.
      for (const l of requestLines) expect(l.level).toBe(20);
      expect(requestLines.some((l) => l.msg === 'incoming request')).toBe(false);
      // No line names a key twice ("module":"region","module":"images").
      for (const line of raw) expect(line.match(/"module":/g)?.length ?? 0).toBeLessThanOrEqual(1);
      expect(new Set(requestLines.map((l) => l.reqId)).size).toBeGreaterThan(0);
      expect(lines.some((l) => l.msg === 'region listening' && l.module === 'region')).toBe(true);
    } finally {
      await region.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps its identity and data across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kiln-start-'));
    const config = loadConfig({
      env: {
        KILN_DATA_DIR: dataDir,
        KILN_DATABASE_URL: context.database().url,
        KILN_LISTEN_ADDRESS: '127.0.0.1',
        KILN_REGION_PORT: '0',
      },
    });
    try {
      const first = await startRegion({ config });
      const id = first.context.regionId;
      await first.close();
      const second = await startRegion({ config });
      expect(second.context.regionId).toBe(id);
      const sources = await second.db.selectFrom('boot_sources').selectAll().execute();
      expect(sources).toHaveLength(1);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

const FIRST_START = join(import.meta.dirname, 'test-support/first-start.ts');
const execFileAsync = promisify(execFile);

describeEachDialect('several processes starting on one fresh database', (context) => {
  it('migrate once, create the default boot source once and agree on the rack secret', async () => {
    const dirs = await Promise.all([0, 1].map(() => mkdtemp(join(tmpdir(), 'kiln-multi-'))));
    try {
      const outputs = await Promise.all(
        dirs.map((dir) =>
          execFileAsync(process.execPath, ['--conditions=source', '--import', 'tsx', FIRST_START], {
            env: { ...process.env, KILN_DATA_DIR: dir, KILN_DATABASE_URL: context.database().url },
            timeout: 60_000,
          }),
        ),
      );
      expect(new Set(outputs.map((o) => o.stdout.trim())).size).toBe(1);
      const database = openDatabase(context.database().url);
      try {
        expect(await database.db.selectFrom('boot_sources').selectAll().execute()).toHaveLength(1);
        expect(
          await database.db.selectFrom('boot_source_selections').selectAll().execute(),
        ).toHaveLength(1);
        expect(await database.db.selectFrom('regions').selectAll().execute()).toHaveLength(2);
      } finally {
        await database.close();
      }
    } finally {
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    }
  });
});

// Several regions share PostgreSQL (SQLite is for a single region per database file).
describe('[postgres] several regions in one process', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(() => database.drop());

  it('start together, create the default boot source once and agree on the rack secret', async () => {
    const context = { database: () => database };
    const dirs = await Promise.all([0, 1, 2].map(() => mkdtemp(join(tmpdir(), 'kiln-multi-'))));
    const configs = dirs.map((dir) =>
      loadConfig({
        env: {
          KILN_DATA_DIR: dir,
          KILN_DATABASE_URL: context.database().url,
          KILN_LISTEN_ADDRESS: '127.0.0.1',
          KILN_REGION_PORT: '0',
        },
      }),
    );
    const regions = await Promise.all(configs.map((config) => startRegion({ config })));
    try {
      const ids = new Set(regions.map((r) => r.context.regionId));
      expect(ids.size).toBe(3);
      const first = regions[0]!;
      expect(await first.db.selectFrom('boot_sources').selectAll().execute()).toHaveLength(1);
      expect(
        await first.db.selectFrom('boot_source_selections').selectAll().execute(),
      ).toHaveLength(1);
      expect(
        (await first.db.selectFrom('regions').select('system_id').execute())
          .map((r) => r.system_id)
          .sort(),
      ).toEqual([...ids].sort());
      const secrets = await Promise.all(regions.map((r) => getOrCreateRackSecret(r.db)));
      expect(new Set(secrets).size).toBe(1);
    } finally {
      await Promise.all(regions.map((r) => r.close()));
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    }
  });
});
