import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, isAppError } from '@kiln/node-kit';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { listenOrExplain, PRIVILEGE_HINT } from './listen-or-explain.js';
import { createRegionApi } from './region-api.js';
import { startRackAgent } from './start-rack-agent.js';

const logger = pino({ level: 'silent' });
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function httpServer(
  handler: (path: string, body: string) => [number, string],
): Promise<string> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const [status, text] = handler(req.url ?? '', body);
      res.writeHead(status, { 'content-type': 'application/json' }).end(text);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/MAAS/`;
}

async function deadUrl(): Promise<string> {
  const url = await httpServer(() => [200, '{}']);
  await cleanups.pop()?.();
  return url;
}

describe('region client failover', () => {
  it('skips a region that refuses connections and then prefers the one that answered', async () => {
    const seen: string[] = [];
    const good = await httpServer((path, body) => {
      seen.push(`${path} ${body}`);
      return [200, '{"ok":true}'];
    });
    const dead = await deadUrl();
    const api = createRegionApi({ regionUrls: [dead, good], secret: 's', logger });
    expect(await api.postForm('api/2.0/rack-agent/?op=heartbeat', { secret: 's' })).toEqual({
      ok: true,
    });
    expect(seen).toEqual(['/MAAS/api/2.0/rack-agent/?op=heartbeat secret=s']);
    expect(api.urls()[0]).toBe(good.replace(/\/MAAS\/$/, ''));
  });

  it('fails over on 5xx, stops at a refused secret, and names every region when all are down', async () => {
    const broken = await httpServer(() => [503, 'down']);
    const refusing = await httpServer(() => [401, 'Missing or wrong rack secret.']);
    const api = createRegionApi({ regionUrls: [broken, refusing], secret: 's', logger });
    const refused = await api.postForm('x', {}).catch((e: unknown) => e);
    expect(isAppError(refused) && refused.code).toBe('RACK_SECRET_REJECTED');
    const dead = [await deadUrl(), await deadUrl()];
    const none = await createRegionApi({ regionUrls: dead, secret: 's', logger })
      .postForm('x', {})
      .catch((e: unknown) => e);
    expect(isAppError(none) && none.code).toBe('RACK_REGION_UNREACHABLE');
    for (const url of dead) expect((none as Error).message).toContain(url.replace(/\/MAAS\/$/, ''));
  });
});

describe('services that cannot bind', () => {
  it('explains a privileged port with the setcap hint', async () => {
    for (const error of [
      Object.assign(new Error('listen EACCES: permission denied 0.0.0.0:69'), { code: 'EACCES' }),
      new AppError('TFTP_PORT_PRIVILEGED', 'Not allowed to bind UDP 0.0.0.0:69'),
    ]) {
      const result = await listenOrExplain('TFTP', 69, logger, () => Promise.reject(error));
      expect(result.value).toBeNull();
      expect(result.problem).toContain(PRIVILEGE_HINT);
      expect(result.problem).toContain('setcap cap_net_bind_service=+ep');
    }
  });

  it('keeps HTTP and /metrics running when the TFTP port is taken', async () => {
    const holder: Socket = createSocket('udp4');
    holder.bind(0, '127.0.0.1');
    await new Promise((resolve) => holder.once('listening', resolve));
    cleanups.push(() => new Promise((resolve) => holder.close(() => resolve(undefined))));
    const dataDir = await mkdtemp(join(tmpdir(), 'kiln-rack-bind-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const agent = await startRackAgent({
      dataDir,
      regionUrls: [await deadUrl()],
      secret: 'secret',
      logger,
      listenAddress: '127.0.0.1',
      httpPort: 0,
      tftpPort: holder.address().port,
      dhcp: false,
    });
    cleanups.push(() => agent.close());
    expect(agent.tftpPort).toBeNull();
    expect(agent.problems.join('\n')).toContain(
      `TFTP could not bind port ${holder.address().port}`,
    );
    const metrics = await fetch(`http://127.0.0.1:${String(agent.httpPort)}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('kiln_rack_cache_');
    const status = (await (
      await fetch(`http://127.0.0.1:${String(agent.httpPort)}/agent/status`)
    ).json()) as { registered: boolean; tftp_port: number | null };
    expect(status).toMatchObject({ registered: false, tftp_port: null });
  });

  it('refuses to start without a secret', async () => {
    const error = await startRackAgent({
      dataDir: '/nonexistent',
      regionUrls: ['http://x/'],
      secret: '',
      logger,
    }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('RACK_SECRET_MISSING');
  });
});
