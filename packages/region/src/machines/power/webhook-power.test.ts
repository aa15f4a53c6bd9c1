import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validatePowerParameters, webhookPowerDriver, type PowerContext } from './index.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

const ctx = (): PowerContext => ({
  systemId: 'abc123',
  signal: new AbortController().signal,
  logger: pino({ level: 'silent' }),
});

let server: Server;
let base: string;
let seen: Seen[] = [];
let vm = 'stopped';

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const url = req.url ?? '';
    if (url === '/vm/on' && req.method === 'POST') vm = 'running';
    else if (url === '/vm/off' && req.method === 'POST') vm = 'stopped';
    else if (url === '/vm/status' && req.method === 'GET') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ name: 'vm', status: vm }));
      return;
    } else if (url === '/vm/odd') {
      res.end('{"state": "hibernating"}');
      return;
    } else if (url === '/moved') {
      res.writeHead(302, { Location: '/vm/status' }).end();
      return;
    } else if (url === '/slash/') vm = 'running';
    else if (url === '/secure/on' && req.headers.authorization === 'Bearer t0k3n') vm = 'running';
    else if (url.startsWith('/secure/')) {
      res.writeHead(401).end('who are you');
      return;
    } else {
      res.writeHead(url === '/boom' ? 500 : 404).end('nope');
      return;
    }
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  vm = 'stopped';
});

const params = (overrides: Record<string, string> = {}) =>
  validatePowerParameters(webhookPowerDriver, {
    power_on_uri: `${base}/vm/on`,
    power_off_uri: `${base}/vm/off`,
    power_query_uri: `${base}/vm/status`,
    ...overrides,
  });

describe('webhook power driver', () => {
  it('applies MAAS defaults', () => {
    const p = params();
    expect(p.power_on_regex).toBe('status.*\\:.*running');
    expect(p.power_off_regex).toBe('status.*\\:.*stopped');
    expect(p.power_verify_ssl).toBe('n');
    expect(p.power_user).toBe('');
  });

  it('powers on and off with POSTs and reads the state with the default regexes', async () => {
    const p = params();
    expect(await webhookPowerDriver.queryState(p, ctx())).toBe('off');
    await webhookPowerDriver.powerOn(p, ctx());
    expect(await webhookPowerDriver.queryState(p, ctx())).toBe('on');
    await webhookPowerDriver.powerOff(p, ctx());
    expect(await webhookPowerDriver.queryState(p, ctx())).toBe('off');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /vm/status',
      'POST /vm/on',
      'GET /vm/status',
      'POST /vm/off',
      'GET /vm/status',
    ]);
    expect(seen[1]?.headers).toMatchObject({ system_id: 'abc123', accept: 'application/json' });
    expect(seen[1]?.headers.authorization).toBeUndefined();
    expect(seen[1]?.headers['content-type']).toBeUndefined();
  });

  it('answers unknown when neither regex matches', async () => {
    const p = params({ power_query_uri: `${base}/vm/odd` });
    expect(await webhookPowerDriver.queryState(p, ctx())).toBe('unknown');
    const custom = params({ power_query_uri: `${base}/vm/odd`, power_off_regex: 'hibernat' });
    expect(await webhookPowerDriver.queryState(custom, ctx())).toBe('off');
  });

  it('sends basic auth, or the bearer token in its place', async () => {
    await webhookPowerDriver.powerOn(params({ power_user: 'u', power_pass: 'p' }), ctx());
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    const both = params({ power_user: 'u', power_pass: 'p', power_token: 't0k3n' });
    await webhookPowerDriver.powerOn(both, ctx());
    expect(seen[1]?.headers.authorization).toBe('Bearer t0k3n');
    await webhookPowerDriver.powerOn(params({ power_user: 'only-user' }), ctx());
    expect(seen[2]?.headers.authorization).toBeUndefined();
  });

  it('follows redirects and retries a 404 with a trailing slash', async () => {
    expect(
      await webhookPowerDriver.queryState(params({ power_query_uri: `${base}/moved` }), ctx()),
    ).toBe('off');
    await webhookPowerDriver.powerOn(params({ power_on_uri: `${base}/slash` }), ctx());
    expect(vm).toBe('running');
    expect(seen.slice(-2).map((s) => s.url)).toEqual(['/slash', '/slash/']);
  });

  it.each([
    ['/boom', 'POWER_ACTION_FAILED', 'Request failed with response status code: 500.'],
    ['/missing/', 'POWER_ACTION_FAILED', 'Request failed with response status code: 404.'],
    ['/secure/on', 'POWER_AUTH_FAILED', 'refused the credentials (HTTP 401)'],
  ])('fails %s with %s', async (path, code, message) => {
    const p = params({ power_on_uri: `${base}${path}` });
    await expect(webhookPowerDriver.powerOn(p, ctx())).rejects.toMatchObject({
      code,
      status: 503,
      message: expect.stringContaining(message) as unknown,
    });
  });

  it('fails to connect with POWER_ACTION_FAILED naming the host', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const p = params({ power_on_uri: `http://127.0.0.1:${port}/on` });
    await expect(webhookPowerDriver.powerOn(p, ctx())).rejects.toMatchObject({
      code: 'POWER_ACTION_FAILED',
      message: expect.stringContaining(`Cannot reach 127.0.0.1:${port}`) as unknown,
    });
  });

  it('is cancelled through the signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const aborted = { ...ctx(), signal: controller.signal };
    await expect(webhookPowerDriver.powerOn(params(), aborted)).rejects.toMatchObject({
      code: 'POWER_ACTION_ABORTED',
    });
  });

  it.each([
    [{ power_on_uri: 'ftp://x/on' }, 'power_on_uri'],
    [{ power_on_uri: '' }, 'power_on_uri'],
    [{ power_on_regex: '(' }, 'power_on_regex'],
    [{ power_verify_ssl: 'maybe' }, 'power_verify_ssl'],
    [{ power_colour: 'red' }, 'power_colour'],
  ])('rejects %j naming the field', (overrides, field) => {
    expect(() => params(overrides)).toThrow(
      expect.objectContaining({
        code: 'POWER_PARAMETERS_INVALID',
        status: 400,
        message: expect.stringContaining(`${field}:`) as unknown,
      }) as Error,
    );
  });
});

describe('webhook over https with a self-signed certificate', () => {
  let dir: string;
  let httpsBase: string;
  let httpsServer: ReturnType<typeof createHttpsServer>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-webhook-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' }); // prettier-ignore
    httpsServer = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_req, res) => res.end('{"status": "running"}'),
    );
    await new Promise<void>((resolve) => httpsServer.listen(0, '127.0.0.1', resolve));
    httpsBase = `https://127.0.0.1:${(httpsServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => httpsServer.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts it when power_verify_ssl is n and refuses it when y', async () => {
    const p = params({ power_query_uri: `${httpsBase}/status` });
    expect(await webhookPowerDriver.queryState(p, ctx())).toBe('on');
    const strict = { ...p, power_verify_ssl: 'y' as const };
    await expect(webhookPowerDriver.queryState(strict, ctx())).rejects.toMatchObject({
      code: 'POWER_ACTION_FAILED',
      message: expect.stringMatching(/self[- ]signed/i) as unknown,
    });
  });
});
