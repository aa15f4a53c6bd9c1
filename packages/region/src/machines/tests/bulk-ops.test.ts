import { expect, it } from 'vitest';
import { NODE_STATUS as S } from '@kiln/protocol';
import { describeRegion } from '../../testing/index.js';
import { machineSteps } from './machine-steps.js';

describeRegion('bulk machine operations, get_token and /op- paths', (region) => {
  const { c, admin, user, read, newMachine, commissioned } = machineSteps(region, '52:54:00:00:30');
  const ids = async (response: Response) =>
    ((await response.json()) as { system_id: string }[]).map((m) => m.system_id).sort();

  it('accept starts commissioning NEW machines and ignores ones already accepted', async () => {
    const a = await newMachine();
    const b = await newMachine();
    const accepted = await c.post(admin(), 'machines/?op=accept', { machines: [a.id, b.id] });
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    expect(await ids(accepted)).toEqual([a.id, b.id].sort());
    expect((await read(a.id)).status).toBe(S.COMMISSIONING);
    expect((await read(b.id)).status).toBe(S.COMMISSIONING);

    const again = await c.post(admin(), 'machines/?op=accept', { machines: [a.id] });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual([]);
  });

  it('refuses the whole accept for an unknown id, a non-admin or a machine in the way', async () => {
    const fresh = await newMachine();
    const unknown = await c.post(admin(), 'machines/?op=accept', {
      machines: [fresh.id, 'nosuch'],
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toBe('Unknown machine(s): nosuch.');

    const notAdmin = await c.post(user(), 'machines/?op=accept', { machines: [fresh.id] });
    expect(notAdmin.status).toBe(403);

    const ready = await commissioned();
    await c.post(user(), 'machines/?op=allocate', { system_id: ready.id });
    const blocked = await c.post(admin(), 'machines/?op=accept', {
      machines: [fresh.id, ready.id],
    });
    expect(blocked.status).toBe(409);
    expect(await blocked.text()).toContain(ready.id);
    expect((await read(fresh.id)).status).toBe(S.NEW);
  });

  it('accept_all accepts every NEW machine', async () => {
    const a = await newMachine();
    const b = await newMachine();
    expect((await c.post(user(), 'machines/?op=accept_all')).status).toBe(403);
    const all = await c.post(admin(), 'machines/?op=accept_all');
    expect(all.status).toBe(200);
    expect(await ids(all)).toEqual(expect.arrayContaining([a.id, b.id]));
    const stillNew = await c.call(admin(), 'machines/?status=new');
    expect(await stillNew.json()).toEqual([]);
  });

  it('releases several machines at once, all or nothing', async () => {
    const a = await commissioned();
    const b = await commissioned();
    const mine = await commissioned();
    for (const m of [a, b])
      expect((await c.post(user(), 'machines/?op=allocate', { system_id: m.id })).status).toBe(200);
    await c.post(admin(), 'machines/?op=allocate', { system_id: mine.id });

    const foreign = await c.post(user(), 'machines/?op=release', {
      machines: [a.id, mine.id],
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain(mine.id);
    expect((await read(a.id)).status).toBe(S.ALLOCATED);

    const released = await c.post(user(), 'machines/?op=release', {
      machines: [a.id, b.id],
      comment: 'done with them',
    });
    expect(released.status, await released.clone().text()).toBe(200);
    expect(((await released.json()) as string[]).sort()).toEqual([a.id, b.id].sort());
    expect(await read(a.id)).toMatchObject({ status: S.READY, owner: null });
    expect(await read(b.id)).toMatchObject({ status: S.READY, owner: null });
  });

  it('get_token gives administrators the credentials the machine signs metadata with', async () => {
    const m = await commissioned();
    expect((await c.call(user(), `machines/${m.id}/?op=get_token`)).status).toBe(403);
    const response = await c.call(admin(), `machines/${m.id}/?op=get_token`);
    expect(response.status).toBe(200);
    const token = (await response.json()) as Record<string, string>;
    expect(Object.keys(token).sort()).toEqual(['consumer_key', 'token_key', 'token_secret']);
    const key = `${token.consumer_key ?? ''}:${token.token_key ?? ''}:${token.token_secret ?? ''}`;
    expect(key).toBe(m.key);
    const id = await c.metadata('latest/meta-data/instance-id', { nodeKey: key });
    expect(await id.text()).toBe(m.id);
  });

  it('takes the operation from a /op-<name> path suffix as MAAS does', async () => {
    const m = await commissioned();
    const allocated = await c.post(user(), 'machines/op-allocate', { system_id: m.id });
    expect(allocated.status, await allocated.clone().text()).toBe(200);
    const mine = await c.call(user(), 'machines/op-list_allocated/');
    expect(await ids(mine)).toContain(m.id);
    const details = await c.call(admin(), `machines/${m.id}/op-details`);
    expect(details.status).toBe(200);
    expect((await c.call(admin(), 'machines/op-nonsense')).status).toBe(400);
  });
});
