import { expect, it } from 'vitest';
import { describeRegion } from '../../testing/index.js';
import { client, insertReadyMachines } from './test-support.js';

describeRegion('allocate under concurrency', (region) => {
  const c = client(region);

  it('50 concurrent allocate calls for 10 READY machines: exactly 10 succeed, one owner each', async () => {
    const ids = await insertReadyMachines(region().region.db, 10, 'cc');
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        c.post(i % 2 === 0 ? region().userApiKey : region().adminApiKey, 'machines/?op=allocate', {
          pool: 'default',
        }),
      ),
    );
    const ok = responses.filter((r) => r.status === 200);
    const conflicts = responses.filter((r) => r.status === 409);
    expect(ok).toHaveLength(10);
    expect(conflicts).toHaveLength(40);
    for (const r of conflicts)
      expect(await r.text()).toBe('No available machine matches constraints: pool=default');
    const won = await Promise.all(
      ok.map(async (r) => (await r.json()) as { system_id: string; owner: string }),
    );
    expect(new Set(won.map((w) => w.system_id))).toEqual(new Set(ids));
    const rows = await region()
      .region.db.selectFrom('machines')
      .select(['system_id', 'owner', 'status'])
      .where('system_id', 'in', ids)
      .execute();
    for (const row of rows) {
      expect(row.status).toBe(10);
      expect(row.owner).toBe(won.find((w) => w.system_id === row.system_id)?.owner);
    }
    const allocatedEvents = await region()
      .region.db.selectFrom('events')
      .select('node_system_id')
      .where('type', '=', 'Allocated')
      .where('node_system_id', 'in', ids)
      .execute();
    expect(allocatedEvents).toHaveLength(10);
    const none = await c.post(region().userApiKey, 'machines/?op=allocate');
    expect(none.status).toBe(409);
    expect(await none.text()).toBe('No machine available.');
  });

  it('dry_run picks without allocating; constraints filter', async () => {
    const [id] = await insertReadyMachines(region().region.db, 1, 'dr');
    const dry = await c.post(region().userApiKey, 'machines/?op=allocate', {
      system_id: id ?? '',
      dry_run: 'true',
      cpu_count: '2',
      mem: '4096',
      arch: 'amd64',
    });
    expect(dry.status).toBe(200);
    const row = await region()
      .region.db.selectFrom('machines')
      .select('status')
      .where('system_id', '=', id ?? '')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe(4);
    const tooBig = await c.post(region().userApiKey, 'machines/?op=allocate', {
      system_id: id ?? '',
      cpu_count: '64',
    });
    expect(tooBig.status).toBe(409);
    const badInt = await c.post(region().userApiKey, 'machines/?op=allocate', {
      cpu_count: 'lots',
    });
    expect(badInt.status).toBe(400);
    expect(await badInt.json()).toHaveProperty('cpu_count');
  });
});
