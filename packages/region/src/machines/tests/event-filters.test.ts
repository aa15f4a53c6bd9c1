import { EventQueryResultSchema } from '@kiln/protocol';
import { expect, it } from 'vitest';
import { describeRegion } from '../../testing/index.js';
import { machineSteps } from './machine-steps.js';

describeRegion('events/?op=query machine filters', (region) => {
  const { c, admin, user, newMachine } = machineSteps(region, '52:54:00:00:40');
  const query = async (params: string) => {
    const response = await c.call(user(), `events/?op=query${params}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return EventQueryResultSchema.parse(await response.json());
  };
  const nodes = (result: { events: readonly { node: string | null }[] }) => [
    ...new Set(result.events.map((e) => e.node)),
  ];

  it('filters by MAC address (any spelling), zone and agent name, and pages with the filters kept', async () => {
    const a = await newMachine();
    const b = await newMachine();
    expect((await c.post(admin(), 'zones/', { name: 'rack-b' })).status).toBe(200);
    const moved = await c.call(admin(), `machines/${b.id}/`, {
      method: 'PUT',
      body: new URLSearchParams({ zone: 'rack-b' }),
    });
    expect(moved.status, await moved.clone().text()).toBe(200);

    const dashed = a.mac.toUpperCase().replaceAll(':', '-');
    expect(nodes(await query(`&mac_address=${dashed}`))).toEqual([a.id]);
    expect(nodes(await query(`&mac_address=${a.mac}&mac_address=${b.mac}`)).sort()).toEqual(
      [a.id, b.id].sort(),
    );
    expect(nodes(await query('&zone=rack-b'))).toEqual([b.id]);
    expect((await query('&agent_name=nobody')).count).toBe(0);

    const first = await query(`&mac_address=${a.mac}&limit=1`);
    expect(first.count).toBe(1);
    expect(first.next_uri).toContain(`mac_address=${encodeURIComponent(a.mac)}`);
    const next = await c.call(user(), first.next_uri.replace(/^\/MAAS\/api\/2\.0\//, ''));
    const page = EventQueryResultSchema.parse(await next.json());
    expect(page.events.every((e) => e.node === a.id)).toBe(true);
  });

  it('rejects a malformed MAC address with 400 naming the field', async () => {
    const response = await c.call(user(), 'events/?op=query&mac_address=not-a-mac');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      mac_address: ["'not-a-mac' is not a valid MAC address."],
    });
  });
});
