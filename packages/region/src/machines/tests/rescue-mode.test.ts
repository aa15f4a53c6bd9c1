import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { NODE_STATUS as S } from '@kiln/protocol';
import { describeRegion } from '../../testing/index.js';
import { runProgram } from '../ephemeral-assets/test-support/processes.js';
import { machineSteps } from './machine-steps.js';

describeRegion('rescue mode', (region) => {
  const { c, admin, user, read, commissioned, deployed } = machineSteps(region, '52:54:00:00:50');

  /** What the rescue environment does: cloud-init runs the user data the region serves it. */
  async function bootRescueEnvironment(key: string): Promise<string> {
    const preseed = await (await c.metadata('latest/user-data', { nodeKey: key })).text();
    const dir = await mkdtemp(join(tmpdir(), 'kiln-rescue-test-'));
    try {
      await writeFile(join(dir, 'user-data'), preseed);
      const run = await runProgram('sh', [join(dir, 'user-data')], { TMPDIR: dir });
      expect(run.code, run.stderr).toBe(0);
      return run.stderr;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('boots a READY machine into a rescue environment that stays up, and back to READY', async () => {
    const m = await commissioned();
    expect((await c.post(user(), `machines/${m.id}/?op=rescue_mode`)).status).toBe(403);
    const entering = await c.post(admin(), `machines/${m.id}/?op=rescue_mode`);
    expect(entering.status, await entering.clone().text()).toBe(200);
    expect(await entering.json()).toMatchObject({ status: S.ENTERING_RESCUE_MODE });

    // The environment is told to stay up, and has no scripts to run.
    const preseed = await (
      await c.metadata(`latest/by-id/${m.id}/?op=get_preseed`, { nodeKey: m.key })
    ).text();
    expect(preseed).toContain('metadata_url');
    expect(preseed).not.toContain('power_state');

    await bootRescueEnvironment(m.key);
    expect(await read(m.id)).toMatchObject({ status: S.RESCUE_MODE, netboot: true });

    const exited = await c.post(admin(), `machines/${m.id}/?op=exit_rescue_mode`);
    expect(exited.status, await exited.clone().text()).toBe(200);
    expect(await exited.json()).toMatchObject({ status: S.READY });
    const events = (await (await c.call(admin(), `events/?op=query&id=${m.id}`)).json()) as {
      events: { type: string }[];
    };
    expect(events.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['Entering rescue mode', 'Rescue mode', 'Exited rescue mode']),
    );
  });

  it('returns a deployed machine to DEPLOYED, booting its installed system', async () => {
    const m = await deployed();

    expect((await c.post(admin(), `machines/${m.id}/?op=rescue_mode`)).status).toBe(200);
    expect((await read(m.id)).netboot).toBe(true);
    expect((await c.signal(m.key, { status: 'OK' })).status).toBe(200);
    expect((await read(m.id)).status).toBe(S.RESCUE_MODE);

    const exited = await c.post(admin(), `machines/${m.id}/?op=exit_rescue_mode`);
    expect(exited.status, await exited.clone().text()).toBe(200);
    expect(await read(m.id)).toMatchObject({ status: S.DEPLOYED, owner: 'user', netboot: false });
  });

  it('refuses exit_rescue_mode outside rescue mode, changing nothing', async () => {
    const m = await commissioned();
    const refused = await c.post(admin(), `machines/${m.id}/?op=exit_rescue_mode`);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toBe('Invalid transition: Ready -> Exiting rescue mode.');
    expect((await read(m.id)).status).toBe(S.READY);
  });
});
