import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redfishPowerDriver, validatePowerParameters, type PowerContext } from './index.js';

/**
 * A small Redfish service: two ComputerSystems, basic auth, the Reset action at the target the
 * system advertises (deliberately not the conventional path, to prove the driver follows it),
 * and an error for "On" when already on, as many real BMCs do.
 */
class RedfishSimulator {
  readonly power = new Map([
    ['1', 'Off'],
    ['blade-2', 'On'],
  ]);
  readonly log: string[] = [];
  systemsOverride: unknown;
  resetTargetOverride: string | undefined;
  server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      this.log.push(`${req.method} ${req.url}${body === '' ? '' : ` ${body}`}`);
      const send = (status: number, json: unknown) =>
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(json));
      if (req.headers.authorization !== `Basic ${Buffer.from('root:calvin').toString('base64')}`) {
        send(401, { error: { message: 'unauthorized' } });
        return;
      }
      const url = req.url ?? '';
      if (url === '/redfish/v1/Systems' && req.method === 'GET') {
        send(
          200,
          this.systemsOverride ?? {
            Members: [...this.power.keys()].map((id) => ({
              '@odata.id': `/redfish/v1/Systems/${id}`,
            })),
          },
        );
        return;
      }
      const system = /^\/redfish\/v1\/Systems\/([^/]+)$/.exec(url);
      if (system?.[1] !== undefined && this.power.has(system[1]) && req.method === 'GET') {
        send(200, {
          Id: system[1],
          PowerState: this.power.get(system[1]),
          // resetTargetOverride '' = advertise no Reset action at all.
          ...(this.resetTargetOverride === ''
            ? {}
            : {
                Actions: {
                  '#ComputerSystem.Reset': {
                    target:
                      this.resetTargetOverride ??
                      `/redfish/v1/Systems/${system[1]}/Actions/Reset.Do`,
                  },
                },
              }),
        });
        return;
      }
      const reset =
        /^\/redfish\/v1\/Systems\/([^/]+)\/Actions\/(?:Reset\.Do|ComputerSystem\.Reset)$/.exec(url);
      if (reset?.[1] !== undefined && req.method === 'POST') {
        const { ResetType } = JSON.parse(body) as { ResetType: string };
        const current = this.power.get(reset[1]);
        if (ResetType === 'On' && current === 'On') send(400, { error: { message: 'already on' } });
        else if (ResetType === 'On' || ResetType === 'ForceOff') {
          this.power.set(reset[1], ResetType === 'On' ? 'On' : 'Off');
          res.writeHead(204).end();
        } else send(400, { error: { message: 'bad ResetType' } });
        return;
      }
      if (url === '/redfish/v1/Systems/text') {
        res.end('<html>not redfish</html>');
        return;
      }
      send(404, { error: { message: 'not found' } });
    });
  });
}

let sim: RedfishSimulator;
let address: string;
const ctx = (): PowerContext => ({
  systemId: 'abc123',
  signal: new AbortController().signal,
  logger: pino({ level: 'silent' }),
});
const params = (overrides: Record<string, string> = {}) =>
  validatePowerParameters(redfishPowerDriver, {
    power_address: address,
    power_user: 'root',
    power_pass: 'calvin',
    ...overrides,
  });

beforeAll(async () => {
  sim = new RedfishSimulator();
  await new Promise<void>((resolve) => sim.server.listen(0, '127.0.0.1', resolve));
  address = `http://127.0.0.1:${(sim.server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => sim.server.close(() => resolve())));
beforeEach(() => {
  sim.log.length = 0;
  sim.power.set('1', 'Off').set('blade-2', 'On');
  sim.systemsOverride = undefined;
  sim.resetTargetOverride = undefined;
});

describe('redfish power driver (simulated BMC)', () => {
  it('finds the first system, powers it on through the advertised Reset target, and off', async () => {
    const p = params();
    expect(await redfishPowerDriver.queryState(p, ctx())).toBe('off');
    await redfishPowerDriver.powerOn(p, ctx());
    expect(sim.power.get('1')).toBe('On');
    expect(await redfishPowerDriver.queryState(p, ctx())).toBe('on');
    await redfishPowerDriver.powerOff(p, ctx());
    expect(sim.power.get('1')).toBe('Off');
    expect(sim.log).toContain('POST /redfish/v1/Systems/1/Actions/Reset.Do {"ResetType":"On"}');
    expect(sim.log).toContain(
      'POST /redfish/v1/Systems/1/Actions/Reset.Do {"ResetType":"ForceOff"}',
    );
  });

  it('uses node_id and does not reset a system already in the wanted state', async () => {
    const p = params({ node_id: 'blade-2' });
    await redfishPowerDriver.powerOn(p, ctx());
    expect(sim.log).toEqual(['GET /redfish/v1/Systems/blade-2']);
    expect(sim.power.get('1')).toBe('Off');
  });

  it('falls back to the conventional Reset path when none is advertised', async () => {
    sim.resetTargetOverride = '';
    await redfishPowerDriver.powerOn(params(), ctx());
    expect(sim.power.get('1')).toBe('On');
    expect(sim.log.at(-1)).toBe(
      'POST /redfish/v1/Systems/1/Actions/ComputerSystem.Reset {"ResetType":"On"}',
    );
  });

  it.each([
    [
      'wrong password',
      { power_pass: 'nope' },
      'POWER_AUTH_FAILED',
      'refused the credentials (HTTP 401)',
    ],
    ['unknown node', { node_id: 'nine' }, 'POWER_ACTION_FAILED', 'failed with HTTP 404'],
    ['non-JSON answer', { node_id: 'text' }, 'POWER_ACTION_FAILED', 'did not return JSON'],
  ])('fails on %s', async (_name, overrides, code, message) => {
    await expect(redfishPowerDriver.queryState(params(overrides), ctx())).rejects.toMatchObject({
      code,
      status: 503,
      message: expect.stringContaining(message) as unknown,
    });
  });

  it('fails clearly when the BMC lists no systems', async () => {
    sim.systemsOverride = { Members: [] };
    await expect(redfishPowerDriver.queryState(params(), ctx())).rejects.toThrow(
      'The Redfish BMC lists no systems.',
    );
  });

  it('refuses to send credentials to another host named by the BMC', async () => {
    sim.resetTargetOverride = 'http://198.51.100.7/steal';
    await expect(redfishPowerDriver.powerOn(params(), ctx())).rejects.toThrow(
      'Redfish BMC pointed to another host (198.51.100.7); refusing to follow.',
    );
    expect(sim.power.get('1')).toBe('Off');
  });

  it.each([
    [{ power_address: 'ftp://bmc' }, 'power_address'],
    [{ power_pass: '' }, 'power_pass'],
    [{ node_id: '../../etc' }, 'node_id'],
    [{ power_verify_ssl: 'sometimes' }, 'power_verify_ssl'],
  ])('rejects %j naming the field', (overrides, field) => {
    expect(() => params(overrides)).toThrow(`${field}:`);
  });

  it('accepts a bare host name (https implied)', () => {
    expect(params({ power_address: 'bmc.example.com' }).power_address).toBe('bmc.example.com');
  });
});
