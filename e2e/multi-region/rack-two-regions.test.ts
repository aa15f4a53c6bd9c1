import { runBootStorm } from '@kiln/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Cluster } from './harness/index.js';

// The rack agent of a two-region cluster (`kiln rack --region-url A,B`) serves boot files while
// both regions run and keeps serving them with either one gone.
let cluster: Cluster;

beforeAll(async () => {
  cluster = await Cluster.start({ regions: 2, rack: true, scale: 100, autoImport: true });
}, 600_000);

afterAll(async () => {
  await cluster.close();
});

it('boots machines from the rack of two regions, and again with one region killed', async () => {
  const [r1, r2] = cluster.regions;
  if (r1 === undefined || r2 === undefined) throw new Error('two regions expected');
  await cluster.startImport(r1);
  await cluster.waitAllSetsComplete(r1);
  await cluster.waitAllSetsComplete(r2);
  const base = cluster.rackUrl;
  const first = await runBootStorm({
    baseUrl: base,
    machines: 3,
    timeoutMs: 60_000,
    deadlineMs: 180_000,
  });
  expect(first.errors, cluster.logs()).toEqual([]);
  expect(first.completed).toBe(3);

  // Each region alone is enough: the rack fails over to the one that answers.
  await r1.kill9();
  const second = await runBootStorm({
    baseUrl: base,
    machines: 2,
    macSeed: 1,
    timeoutMs: 60_000,
    deadlineMs: 180_000,
  });
  expect(second.errors, cluster.logs()).toEqual([]);
  expect(second.completed).toBe(2);
  await r1.start();
  await r2.kill9();
  const third = await runBootStorm({
    baseUrl: base,
    machines: 2,
    macSeed: 2,
    timeoutMs: 60_000,
    deadlineMs: 180_000,
  });
  expect(third.errors, cluster.logs()).toEqual([]);
  expect(third.completed).toBe(2);
}, 900_000);
