import { execFile } from 'node:child_process';
import { readFile, readdir, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { NODE_STATUS as S } from '@kiln/protocol';
import { describeRegion } from '../../testing/index.js';
import { client } from './test-support.js';

const run = promisify(execFile);

/** MACs of this host's NICs that have a device (what kiln-enlist reports). */
async function physicalMacs(): Promise<string[]> {
  const macs: string[] = [];
  for (const name of await readdir('/sys/class/net')) {
    try {
      await readdir(join('/sys/class/net', name, 'device'));
      macs.push((await readFile(join('/sys/class/net', name, 'address'), 'utf8')).trim());
    } catch {
      // not a physical NIC
    }
  }
  return macs;
}

describeRegion('enlistment through the metadata server', (region) => {
  const c = client(region);

  it('the enlist user-data creates the machine anonymously, commissions it and leaves it NEW with its inventory', async () => {
    const macs = await physicalMacs();
    expect(
      macs.length,
      'this test needs a NIC with a device link in /sys/class/net',
    ).toBeGreaterThan(0);
    const preseed = await c.metadata('latest/enlist-preseed/?op=get_enlist_preseed');
    expect(await preseed.text()).toContain(`metadata_url: ${region().url}metadata/enlist`);
    expect(await (await c.metadata('enlist/latest/meta-data/instance-id')).text()).toBe(
      'i-maas-enlistment',
    );
    const script = await (await c.metadata('enlist/latest/user-data')).text();
    const dir = await mkdtemp(join(tmpdir(), 'kiln-enlist-test-'));
    try {
      await writeFile(join(dir, 'user-data'), script);
      await run('sh', [join(dir, 'user-data')], {
        env: { ...process.env, TMPDIR: dir },
        timeout: 120_000,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const listed = (await (
      await c.call(region().adminApiKey, `machines/?mac_address=${macs[0] ?? ''}`)
    ).json()) as {
      system_id: string;
      status: number;
      cpu_count: number;
      architecture: string;
    }[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ status: S.NEW, cpu_count: cpus().length });
    const events = await region()
      .region.db.selectFrom('events')
      .select('type')
      .where('node_system_id', '=', listed[0]?.system_id ?? '')
      .execute();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['Enlisted', 'Commissioned']));
    // Enlisting again from the same machine does not duplicate it.
    const again = await c.post(undefined, 'machines/', {
      architecture: listed[0]?.architecture ?? '',
      mac_addresses: macs,
    });
    expect(((await again.json()) as { system_id: string }).system_id).toBe(listed[0]?.system_id);
  });
});
