import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_STATUS as S } from '@kiln/protocol';
import { describeRegion } from '../../testing/index.js';
import { testingPassedStatus } from '../lifecycle/testing.js';
import { runProgram, type RunResult } from '../ephemeral-assets/test-support/processes.js';
import { machineSteps } from './machine-steps.js';

/**
 * A stand-in for / that the built-in tests read instead of the machine's own (KILN_TEST_ROOT,
 * honoured only for tests): a 40 MiB disk `vdx`, and with `broken` a disk `vdb` whose device
 * node is a directory, so dd fails on it; memory figures copied from this machine.
 */
async function standInRoot(dir: string, broken: boolean): Promise<string> {
  const root = join(dir, broken ? 'broken-root' : 'root');
  await mkdir(join(root, 'sys/block/vdx'), { recursive: true });
  await mkdir(join(root, 'dev'), { recursive: true });
  await mkdir(join(root, 'proc'), { recursive: true });
  await writeFile(join(root, 'sys/block/vdx/size'), `${40 * 2048}\n`);
  await writeFile(join(root, 'dev/vdx'), '');
  await truncate(join(root, 'dev/vdx'), 40 * 1024 * 1024);
  if (broken) {
    await mkdir(join(root, 'sys/block/vdb'), { recursive: true });
    await writeFile(join(root, 'sys/block/vdb/size'), `${8 * 2048}\n`);
    await mkdir(join(root, 'dev/vdb'));
  }
  await writeFile(join(root, 'proc/meminfo'), await readFile('/proc/meminfo'));
  return root;
}

describeRegion('hardware testing', (region) => {
  const { c, admin, user, read, commissioned, deployed } = machineSteps(region, '52:54:00:00:60');
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-testing-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** What the testing environment does: cloud-init runs the user data the region serves it. */
  async function bootTestingEnvironment(
    key: string,
    env: Record<string, string> = {},
  ): Promise<RunResult> {
    const userData = await (await c.metadata('latest/user-data', { nodeKey: key })).text();
    const work = await mkdtemp(join(dir, 'env-'));
    await writeFile(join(work, 'user-data'), userData);
    return runProgram('sh', [join(work, 'user-data')], { TMPDIR: work, ...env }, 120_000);
  }

  const preseedOf = async (id: string, key: string) =>
    (await c.metadata(`latest/by-id/${id}/?op=get_preseed`, { nodeKey: key })).text();

  const testingResults = (machineId: string) =>
    region()
      .region.db.selectFrom('script_results')
      .innerJoin('machines', 'machines.id', 'script_results.machine_id')
      .select([
        'script_results.name',
        'script_results.status',
        'script_results.exit_status',
        'script_results.output',
      ])
      .where('machines.system_id', '=', machineId)
      .where('script_results.result_type', '=', 'testing')
      .orderBy('script_results.id')
      .execute();

  const eventsOf = async (id: string) =>
    (
      (await (await c.call(admin(), `events/?op=query&id=${id}`)).json()) as {
        events: { type: string; description: string }[];
      }
    ).events;

  it('tests a READY machine with the built-in tests on this machine and returns it to READY', async () => {
    const m = await commissioned();
    expect((await c.post(user(), `machines/${m.id}/?op=test`)).status).toBe(403);
    const started = await c.post(admin(), `machines/${m.id}/?op=test`, { comment: 'burn-in' });
    expect(started.status, await started.clone().text()).toBe(200);
    expect(await started.json()).toMatchObject({ status: S.TESTING, netboot: true });
    // The environment powers off when it is done.
    expect(await preseedOf(m.id, m.key)).toContain('mode: poweroff');

    // No stand-in: disk-read reads this machine's disks (or says it could read none).
    const run = await bootTestingEnvironment(m.key);
    expect(run.code, run.stderr).toBe(0);
    expect(await read(m.id)).toMatchObject({ status: S.READY, netboot: true });

    const results = await testingResults(m.id);
    const names = new Set(results.map((r) => r.name));
    for (const name of ['disk-read', 'memory-info']) {
      expect(names).toContain(name);
      expect(results.find((r) => r.name === name)).toMatchObject({
        status: 'PASSED',
        exit_status: 0,
      });
    }
    const memory = results.find((r) => r.name === 'memory-info.out');
    expect(Buffer.from(memory?.output ?? '').toString()).toMatch(/^MemTotal: [1-9]\d* kB$/m);
    const events = await eventsOf(m.id);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['Testing', 'Testing complete']),
    );
    expect(events.find((e) => e.type === 'Testing')?.description).toBe('burn-in');
  });

  it('moves to FAILED_TESTING with the failing output kept, and override_failed_testing to READY', async () => {
    const m = await commissioned();
    const started = await c.post(admin(), `machines/${m.id}/?op=test`, {
      testing_scripts: 'disk-read',
    });
    expect(started.status, await started.clone().text()).toBe(200);
    const root = await standInRoot(dir, true);
    const run = await bootTestingEnvironment(m.key, { KILN_TEST_ROOT: root });
    expect(run.code).toBe(1);
    expect(await read(m.id)).toMatchObject({
      status: S.FAILED_TESTING,
      error_description: 'Failed scripts: disk-read(exit 1)',
    });

    // Only the requested test ran; its output names the disk that failed and the one that passed.
    const results = await testingResults(m.id);
    expect(new Set(results.map((r) => r.name))).toEqual(
      new Set(['disk-read', 'disk-read.out', 'disk-read.err']),
    );
    const failed = results.find((r) => r.name === 'disk-read' && r.status === 'FAILED');
    const output = Buffer.from(failed?.output ?? '').toString();
    expect(output).toContain('vdx: read the first and the last 16 MiB of 40 MiB');
    expect(output).toContain('disk-read failed: vdb');
    const events = await eventsOf(m.id);
    expect(events.find((e) => e.type === 'Failed testing')?.description).toBe(
      'Failed scripts: disk-read(exit 1)',
    );

    expect((await c.post(user(), `machines/${m.id}/?op=override_failed_testing`)).status).toBe(403);
    const overridden = await c.post(admin(), `machines/${m.id}/?op=override_failed_testing`);
    expect(overridden.status, await overridden.clone().text()).toBe(200);
    expect(await overridden.json()).toMatchObject({ status: S.READY, error_description: '' });
    const again = await c.post(admin(), `machines/${m.id}/?op=override_failed_testing`);
    expect(again.status).toBe(409);
    expect(await again.text()).toBe(
      "Unable to override node status. Node is not in 'Failed testing' status.",
    );
  });

  it('tests a deployed machine, which reboots into its installed system', async () => {
    const m = await deployed();

    const started = await c.post(admin(), `machines/${m.id}/?op=test`);
    expect(started.status, await started.clone().text()).toBe(200);
    expect(await read(m.id)).toMatchObject({ status: S.TESTING, netboot: true });
    const preseed = await preseedOf(m.id, m.key);
    expect(preseed).toContain('mode: reboot');
    expect(preseed).not.toContain('poweroff');

    const run = await bootTestingEnvironment(m.key, {
      KILN_TEST_ROOT: await standInRoot(dir, false),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(await read(m.id)).toMatchObject({
      status: S.DEPLOYED,
      owner: 'user',
      netboot: false,
      osystem: 'ubuntu',
    });
    const results = await testingResults(m.id);
    const disk = results.find((r) => r.name === 'disk-read.out');
    expect(Buffer.from(disk?.output ?? '').toString()).toContain(
      'vdx: read the first and the last 16 MiB of 40 MiB',
    );

    // A failed run on a deployed machine is overridden back to DEPLOYED (it has an OS).
    expect((await c.post(admin(), `machines/${m.id}/?op=test`)).status).toBe(200);
    expect((await c.signal(m.key, { status: 'FAILED', error: 'memory-info(exit 1)' })).status).toBe(
      200,
    );
    expect((await read(m.id)).status).toBe(S.FAILED_TESTING);
    const overridden = await c.post(admin(), `machines/${m.id}/?op=override_failed_testing`);
    expect(overridden.status, await overridden.clone().text()).toBe(200);
    expect(await read(m.id)).toMatchObject({ status: S.DEPLOYED, owner: 'user', netboot: false });

    // An aborted test leaves it deployed and booting from its disk again.
    expect((await c.post(admin(), `machines/${m.id}/?op=test`)).status).toBe(200);
    expect((await c.post(admin(), `machines/${m.id}/?op=abort`)).status).toBe(200);
    expect(await read(m.id)).toMatchObject({ status: S.DEPLOYED, netboot: false });
  });

  it('refuses unknown tests with 400, changing nothing', async () => {
    const m = await commissioned();
    const refused = await c.post(admin(), `machines/${m.id}/?op=test`, {
      testing_scripts: 'disk-read,smartctl-validate',
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('smartctl-validate');
    expect((await read(m.id)).status).toBe(S.READY);
    expect((await eventsOf(m.id)).map((e) => e.type)).not.toContain('Testing');
  });

  it('keeps the environment up with enable_ssh, and abort returns the machine', async () => {
    const m = await commissioned();
    const started = await c.post(admin(), `machines/${m.id}/?op=test`, {
      enable_ssh: 'true',
      testing_scripts: 'memory-info',
    });
    expect(started.status, await started.clone().text()).toBe(200);
    expect(await preseedOf(m.id, m.key)).not.toContain('power_state');

    const aborted = await c.post(admin(), `machines/${m.id}/?op=abort`);
    expect(aborted.status, await aborted.clone().text()).toBe(200);
    expect(await aborted.json()).toMatchObject({ status: S.READY });
    expect((await eventsOf(m.id)).map((e) => e.type)).toContain('Aborted');
  });
});

describe('where passed tests leave a machine', () => {
  it.each([
    [S.READY, S.READY],
    [S.ALLOCATED, S.ALLOCATED],
    [S.RESERVED, S.RESERVED],
    [S.DEPLOYED, S.DEPLOYED],
    [S.BROKEN, S.READY],
    [S.NEW, S.READY],
    [S.FAILED_TESTING, S.READY],
    [S.FAILED_DEPLOYMENT, S.READY],
    // The transition table has no way back: an operator decides.
    [S.FAILED_COMMISSIONING, S.FAILED_TESTING],
    [S.RESCUE_MODE, S.FAILED_TESTING],
  ])('started from %i → %i', (from, to) => {
    expect(testingPassedStatus(from)).toBe(to);
  });
});
