import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerStaticUi } from './static-ui.js';

describe('built UI under /MAAS/r/', () => {
  let dir = '';
  let app: FastifyInstance;
  let empty: FastifyInstance;
  const get = (server: FastifyInstance, url: string) => server.inject({ method: 'GET', url });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-static-ui-'));
    const root = join(dir, 'dist');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Kiln</title>');
    await writeFile(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
    await writeFile(join(dir, 'secret.txt'), 'outside the root');
    app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    await registerStaticUi(app, root);
    empty = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    await registerStaticUi(empty, join(dir, 'not-built'));
  });

  afterAll(async () => {
    await app.close();
    await empty.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at the root and for client-side routes, never cached', async () => {
    for (const url of ['/MAAS/r/', '/MAAS/r', '/MAAS/r/machines', '/MAAS/r/machine/abc123']) {
      const response = await get(app, url);
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toContain('<title>Kiln</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets as immutable and answers 404 for a missing one', async () => {
    const asset = await get(app, '/MAAS/r/assets/app-1234.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await get(app, '/MAAS/r/assets/gone-9999.js')).statusCode).toBe(404);
  });

  it('never serves a file outside the root', async () => {
    for (const url of [
      '/MAAS/r/../secret.txt',
      '/MAAS/r/%2e%2e/secret.txt',
      '/MAAS/r/assets/..%2f..%2fsecret.txt',
    ]) {
      const response = await get(app, url);
      expect(response.body, url).not.toContain('outside the root');
    }
  });

  it('says how to build the UI when it is not built', async () => {
    const response = await get(empty, '/MAAS/r/');
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build -w @kiln/web');
  });
});
