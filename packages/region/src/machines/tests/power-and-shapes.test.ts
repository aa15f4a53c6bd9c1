import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MACHINE_FIELDS, NODE_STATUS as S, machineSummarySchema } from '@kiln/protocol';
import { describeRegion } from '../../testing/index.js';
import { parseDistroSeries } from '../images/distro-series.js';
import { client, insertCompleteImage } from './test-support.js';

/** A BMC stand-in speaking MAAS's webhook power protocol; `failing` makes power-on answer 500. */
let bmc: Server;
let bmcUrl = '';
let running = false;
let failing = false;
const calls: string[] = [];
let cycleRuns = 0;
beforeAll(async () => {
  bmc = createServer((req, res) => {
    calls.push(`${req.method ?? ''} ${req.url ?? ''}`);
    if (req.url === '/on') {
      if (failing) {
        res.writeHead(500).end('boom');
        return;
      }
      running = true;
    }
    if (req.url === '/off') running = false;
    res.end(`{"status": "${running ? 'running' : 'stopped'}"}`);
  });
  await new Promise<void>((resolve) => bmc.listen(0, '127.0.0.1', resolve));
  bmcUrl = `http://127.0.0.1:${(bmc.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => bmc.close(() => resolve())));

it('parses distro_series in every MAAS form', () => {
  for (const form of ['ubuntu/jammy', 'jammy', 'ubuntu/22.04', '22.04', 'Ubuntu/Jammy'])
    expect(parseDistroSeries(form, 'ubuntu')).toEqual({ osystem: 'ubuntu', release: 'jammy' });
  expect(parseDistroSeries('centos/8', 'ubuntu')).toEqual({ osystem: 'centos', release: '8' });
  expect(() => parseDistroSeries('a/b/c', 'ubuntu')).toThrow(/not a valid distro_series/);
});

describeRegion(
  'power through drivers, machine JSON shape, describe',
  (region) => {
    const c = client(region);
    const admin = () => region().adminApiKey;

    it('power-cycles a machine that is still running when it must network-boot', async () => {
      failing = false;
      const created = await c.post(admin(), 'machines/', {
        architecture: 'amd64/generic',
        mac_addresses: `52:54:00:00:41:0${String(++cycleRuns)}`,
        power_type: 'webhook',
        power_parameters_power_on_uri: `${bmcUrl}/on`,
        power_parameters_power_off_uri: `${bmcUrl}/off`,
        power_parameters_power_query_uri: `${bmcUrl}/query`,
      });
      const { system_id: id } = (await created.json()) as { system_id: string };
      await c.post(admin(), `machines/${id}/?op=power_off`);
      let mark = calls.length;
      expect((await c.post(admin(), `machines/${id}/?op=commission`)).status).toBe(200);
      // Off: a plain power-on.
      expect(calls.slice(mark)).toEqual(['GET /query', 'POST /on']);
      await c.post(admin(), `machines/${id}/?op=abort`);
      await c.post(admin(), `machines/${id}/?op=power_on`);
      mark = calls.length;
      expect((await c.post(admin(), `machines/${id}/?op=commission`)).status).toBe(200);
      // Still running (say, a deployed OS): off first, so the machine really boots from the network.
      expect(calls.slice(mark)).toEqual(['GET /query', 'POST /off', 'POST /on']);
      expect(running).toBe(true);
    });

    it('drives a webhook BMC, records every attempt, and fails commissioning when power-on fails', async () => {
      const created = await c.post(admin(), 'machines/', {
        architecture: 'amd64/generic',
        mac_addresses: '52:54:00:00:40:01',
        power_type: 'webhook',
        power_parameters_power_on_uri: `${bmcUrl}/on`,
        power_parameters_power_off_uri: `${bmcUrl}/off`,
        power_parameters_power_query_uri: `${bmcUrl}/query`,
      });
      expect(created.status).toBe(200);
      const { system_id: id } = (await created.json()) as { system_id: string };
      const on = await c.post(admin(), `machines/${id}/?op=power_on`);
      expect(await on.json()).toMatchObject({ power_state: 'on' });
      expect(await (await c.call(admin(), `machines/${id}/?op=query_power_state`)).json()).toEqual({
        state: 'on',
      });
      await c.post(admin(), `machines/${id}/?op=power_off`);
      expect(await (await c.call(admin(), `machines/${id}/?op=query_power_state`)).json()).toEqual({
        state: 'off',
      });
      expect(calls).toEqual(expect.arrayContaining(['POST /on', 'POST /off', 'GET /query']));

      failing = true;
      const commission = await c.post(admin(), `machines/${id}/?op=commission`);
      failing = false;
      expect(commission.status).toBe(503);
      expect(await (await c.call(admin(), `machines/${id}/`)).json()).toMatchObject({
        status: S.FAILED_COMMISSIONING,
        power_state: 'error',
      });
      const types = (
        await region()
          .region.db.selectFrom('events')
          .select('type')
          .where('node_system_id', '=', id)
          .orderBy('id')
          .execute()
      ).map((e) => e.type);
      expect(types).toEqual(
        expect.arrayContaining([
          'Powering on',
          'Node powered on',
          'Node powered off',
          'Failed to power on node',
          'Power on failed',
        ]),
      );
      expect(types.filter((t) => t === 'Failed to power on node').length).toBe(3); // first try + 2 retries

      const badPower = await c.post(admin(), 'machines/', {
        architecture: 'amd64/generic',
        mac_addresses: '52:54:00:00:40:02',
        power_type: 'webhook',
        power_parameters_power_on_uri: 'not a url',
      });
      expect(badPower.status).toBe(400);
    });

    it('renders every MAAS machine field and parses with the protocol schema', async () => {
      const created = await c.post(admin(), 'machines/', {
        architecture: 'amd64/generic',
        mac_addresses: '52:54:00:00:40:03',
        hostname: 'shape',
        description: 'd',
      });
      const body = (await created.json()) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual([...MACHINE_FIELDS]);
      expect(machineSummarySchema.parse(body)).toMatchObject({
        hostname: 'shape',
        fqdn: 'shape.maas',
        status_name: 'New',
        zone: { name: 'default' },
      });
      const list = (await (await c.call(admin(), 'machines/')).json()) as unknown[];
      for (const m of list) machineSummarySchema.parse(m);
    });

    it('lists the machine resources in describe/ for maascli', async () => {
      const doc = (await (await c.call(admin(), 'describe/')).json()) as {
        resources: { name: string; auth: { actions: { name: string }[] } | null; anon: unknown }[];
      };
      const machine = doc.resources.find((r) => r.name === 'MachineHandler');
      expect(machine?.auth?.actions.map((a) => a.name)).toEqual(
        expect.arrayContaining([
          'deploy',
          'release',
          'commission',
          'abort',
          'details',
          'get_curtin_config',
          'query_power_state',
          'lock',
          'mark_broken',
          'set_storage_layout',
        ]),
      );
      const machines = doc.resources.find((r) => r.name === 'MachinesHandler');
      expect(machines).toBeDefined();
      for (const name of ['TagsHandler', 'ZonesHandler', 'ResourcePoolsHandler'])
        expect(doc.resources.some((r) => r.name === name)).toBe(true);
    });

    it('a locked machine cannot be released until unlocked', async () => {
      await insertCompleteImage(region().region.db);
      const created = await c.post(admin(), 'machines/', {
        architecture: 'amd64/generic',
        mac_addresses: '52:54:00:00:40:04',
      });
      const { system_id: id } = (await created.json()) as { system_id: string };
      await region()
        .region.db.updateTable('machines')
        .set({ status: S.READY })
        .where('system_id', '=', id)
        .execute();
      expect(
        (
          await c.post(admin(), `machines/${id}/?op=deploy`, {
            distro_series: 'noble',
            ephemeral_deploy: 'true',
          })
        ).status,
      ).toBe(200);
      expect(await (await c.post(admin(), `machines/${id}/?op=lock`)).json()).toMatchObject({
        locked: true,
      });
      const lockedAgain = await c.post(admin(), `machines/${id}/?op=lock`);
      expect(lockedAgain.status).toBe(409);
      expect(await lockedAgain.text()).toBe('Machine is already locked');
      expect((await c.post(admin(), `machines/${id}/?op=release`)).status).toBe(409);
      await c.post(admin(), `machines/${id}/?op=unlock`);
      expect(await (await c.post(admin(), `machines/${id}/?op=release`)).json()).toMatchObject({
        status: S.READY,
      });
    });
  },
  { machines: { powerBackoff: { initialMs: 1, maxMs: 1 } } },
);
