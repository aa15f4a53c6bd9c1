import { expect } from 'vitest';
import { NODE_STATUS as S } from '@kiln/protocol';
import type { TestRegion } from '../../testing/index.js';
import { inventoryFiles } from '@kiln/testkit';
import { client, insertCompleteImage } from './test-support.js';

/** Machines brought to a status through the real API and metadata endpoints. */
export function machineSteps(region: () => TestRegion, macPrefix: string) {
  let counter = 0;
  const c = client(region);
  const admin = () => region().adminApiKey;
  const user = () => region().userApiKey;
  const nextMac = () => `${macPrefix}:${(++counter).toString(16).padStart(2, '0')}`;
  const read = async (id: string) =>
    (await (await c.call(admin(), `machines/${id}/`)).json()) as Record<string, unknown>;
  async function newMachine(): Promise<{ id: string; mac: string }> {
    const mac = nextMac();
    const response = await c.post(admin(), 'machines/', {
      architecture: 'amd64/generic',
      mac_addresses: mac,
      power_type: 'manual',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { system_id: string; status: number };
    expect(body.status).toBe(S.NEW);
    return { id: body.system_id, mac };
  }

  async function commissioned(): Promise<{ id: string; mac: string; key: string }> {
    const m = await newMachine();
    expect((await c.post(admin(), `machines/${m.id}/?op=commission`)).status).toBe(200);
    expect((await read(m.id)).status).toBe(S.COMMISSIONING);
    const key = await c.nodeKey(m.id);
    expect(
      (await c.signal(key, { status: 'WORKING', error: 'Starting 00-cpu [1/5]' })).status,
    ).toBe(200);
    expect((await c.signal(key, { status: 'OK' }, inventoryFiles(m.mac))).status).toBe(200);
    return { ...m, key };
  }
  /** Allocated to the user and deployed with noble: the installed OS asked for its user data. */
  async function deployed(): Promise<{ id: string; mac: string; key: string }> {
    await insertCompleteImage(region().region.db);
    const m = await commissioned();
    expect((await c.post(user(), 'machines/?op=allocate', { system_id: m.id })).status).toBe(200);
    const deploy = await c.post(user(), `machines/${m.id}/?op=deploy`, { distro_series: 'noble' });
    expect(deploy.status, await deploy.clone().text()).toBe(200);
    await c.metadata('2012-03-01/user-data', { nodeKey: m.key });
    expect(await read(m.id)).toMatchObject({ status: S.DEPLOYED, owner: 'user' });
    return m;
  }
  return { c, admin, user, nextMac, read, newMachine, commissioned, deployed };
}
