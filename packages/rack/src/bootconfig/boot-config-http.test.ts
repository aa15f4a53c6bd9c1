import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootAnswer, BootRequest } from '@kiln/protocol';
import { createBootFileCache } from '../cache/index.js';
import { createRackHttpServer } from '../http/index.js';
import type { BootConfigRenderer, RackHttpServer } from '../http/index.js';
import { createBootConfigService } from './boot-config-service.js';
import { createCachingBootPurposeSource } from './caching-boot-purpose-source.js';
import { ephemeralAnswer, localAnswer } from './fixtures.test-support.js';

/**
 * The boot config service plugged into the rack's real HTTP server, fetched with a real HTTP
 * client: what a machine sees, including the cache being invalidated by a state change.
 */
describe('boot configs over the rack HTTP server', () => {
  const logger = pino({ level: 'silent' });
  let dir: string;
  let rack: RackHttpServer;
  let closeCache: () => Promise<void>;
  let base: string;
  let answer: BootAnswer = ephemeralAnswer({ rack_address: '127.0.0.1', log_host: '127.0.0.1' });
  const requests: BootRequest[] = [];
  const source = createCachingBootPurposeSource({
    lookup(request) {
      requests.push(request);
      return Promise.resolve(answer);
    },
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-bootconfig-'));
    // No image is fetched in these tests; the cache only has to exist.
    const cache = await createBootFileCache({ dir, regionUrls: ['http://127.0.0.1:9'], logger });
    closeCache = () => cache.close();
    const bootConfigs: BootConfigRenderer = createBootConfigService({ source, logger });
    rack = createRackHttpServer({
      cache,
      bootConfigs,
      regionUrls: ['http://127.0.0.1:9'],
      logger,
      bootloaders: { resolve: () => Promise.resolve(undefined) },
    });
    const address = await rack.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await rack.close();
    await closeCache();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves ipxe.cfg pointing back at the address the machine used', async () => {
    const response = await fetch(`${base}/ipxe.cfg`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('set kiln-base http://127.0.0.1:5248\n');
  });

  it('renders the per-MAC iPXE config from the region answer, and a state change shows at once', async () => {
    const first = await (await fetch(`${base}/ipxe.cfg-52-54-00-12-34-56`)).text();
    expect(first).toContain('kernel http://127.0.0.1:5248/images/');
    expect(first).toContain(
      'cloud-config-url=http://127.0.0.1:5248/MAAS/metadata/latest/by-id/abc123/?op=get_preseed',
    );
    expect(requests.at(-1)).toMatchObject({
      mac: '52:54:00:12:34:56',
      loader: 'ipxe',
      protocol: 'http',
      rack_address: '127.0.0.1',
    });
    const count = requests.length;
    await fetch(`${base}/ipxe.cfg-52-54-00-12-34-56`);
    expect(requests).toHaveLength(count);

    answer = { ...localAnswer('local'), rack_address: '127.0.0.1' };
    source.invalidate({ mac: '52:54:00:12:34:56' });
    const second = await (await fetch(`${base}/ipxe.cfg-52-54-00-12-34-56`)).text();
    expect(second).toContain('sanboot --no-describe --drive 0x80');
  });

  it('answers 404 for a name with no config so firmware tries the next one', async () => {
    answer = ephemeralAnswer({ rack_address: '127.0.0.1', log_host: '127.0.0.1' });
    const response = await fetch(`${base}/pxelinux.cfg/C0A8010A`);
    expect(response.status).toBe(404);
  });
});
