import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError, loadConfig } from '@kiln/node-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegion } from './start-region.js';

async function failure(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('startRegion failures name the problem', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-fail-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('explains a port that is already taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const config = loadConfig({
        env: {
          KILN_DATA_DIR: dir,
          KILN_LISTEN_ADDRESS: '127.0.0.1',
          KILN_REGION_PORT: String(port),
        },
      });
      const result = await failure(() => startRegion({ config }));
      expect(result.code).toBe('REGION_LISTEN_FAILED');
      expect(result.message).toContain(`127.0.0.1:${port}`);
      expect(result.message).toMatch(/already listens there/);
    } finally {
      blocker.close();
    }
  });

  it('explains an unreachable PostgreSQL server', async () => {
    const config = loadConfig({
      env: {
        KILN_DATA_DIR: dir,
        KILN_DATABASE_URL: 'postgres://kiln:kiln@127.0.0.1:1/nothing',
        KILN_REGION_PORT: '0',
      },
    });
    const result = await failure(() => startRegion({ config }));
    expect(result.code).toBe('DB_UNREACHABLE');
    expect(result.message).toMatch(/^Cannot use the postgres database: .*ECONNREFUSED/);
  });

  it('explains a SQLite path that cannot be created', async () => {
    const file = join(dir, 'plain-file');
    await writeFile(file, 'x');
    const config = loadConfig({
      env: {
        KILN_DATA_DIR: dir,
        KILN_DATABASE_URL: `sqlite:${join(file, 'kiln.db')}`,
        KILN_REGION_PORT: '0',
      },
    });
    const result = await failure(() => startRegion({ config }));
    expect(result.code).toBe('DB_UNREACHABLE');
    expect(result.message).toContain(file);
  });
});
