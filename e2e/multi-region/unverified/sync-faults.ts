import { expect, it } from 'vitest';
import { Cluster, waitFor, type ClusterOptions } from '../harness/index.js';
import { FAST_SYNC_ENV } from '../harness/sync-settings.js';

// Failure cases of the reference's §1.10 on real processes: a zombie writer and overlapping
// imports.

async function withCluster(options: ClusterOptions, body: (cluster: Cluster) => Promise<void>) {
  const cluster = await Cluster.start({ scale: 100, ...options, regionEnv: FAST_SYNC_ENV });
  try {
    await body(cluster);
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n${cluster.logs()}`,
      {
        cause: error,
      },
    );
  } finally {
    await cluster.close();
  }
}

it('a zombie writer (SIGSTOP past its lease, then SIGCONT) completes and corrupts nothing', async () => {
  await withCluster({ regions: 2 }, async (cluster) => {
    const [r1, r2] = cluster.regions;
    if (r1 === undefined || r2 === undefined) throw new Error('two regions expected');
    const squashfs = [...cluster.stream.files.values()].find((f) => f.path.endsWith('squashfs'));
    if (squashfs === undefined) throw new Error('the fixture has no squashfs');
    cluster.upstream.addFault({
      kind: 'stall',
      path: new RegExp(`${squashfs.path.replaceAll('.', '\\.')}$`),
      afterBytes: Math.floor(squashfs.size / 2),
      times: 1,
    });
    await cluster.startImport(r1);
    const first = await waitFor('the squashfs download to start', () =>
      cluster.upstream.requests.find((r) => r.path.endsWith(squashfs.path)),
    );
    const zombie = await waitFor('the region downloading the squashfs', () =>
      cluster.regionOfRequest(first),
    );
    const other = zombie === r1 ? r2 : r1;
    zombie.pause();
    try {
      // The other region takes the job over once the zombie's lease runs out, and finishes it.
      await waitFor(
        `${other.name} to hold the squashfs`,
        async () => {
          const holders = await cluster.holders({ ...squashfs, filename: 'squashfs' });
          return holders.includes(other.name) ? true : undefined;
        },
        { timeoutMs: 300_000 },
      );
    } finally {
      // The zombie wakes with the rest of its stalled response still to come.
      cluster.upstream.releaseStalls();
      zombie.resume();
    }
    const files = await cluster.waitEveryRegionHoldsEverything(300_000);
    for (const region of [r1, r2]) await cluster.waitAllSetsComplete(region);
    expect(files.length).toBeGreaterThan(0);
    // Only the region holding the lease downloaded the rest: the takeover resumed with Range.
    const squashfsRequests = cluster.upstream.requests.filter((r) =>
      r.path.endsWith(squashfs.path),
    );
    expect(squashfsRequests.length).toBe(2);
    expect(squashfsRequests[1]?.range).toMatch(/^bytes=[1-9]\d*-/);
  });
}, 900_000);

it('overlapping imports asked of two regions at once download every file once', async () => {
  await withCluster({ regions: 2 }, async (cluster) => {
    const [r1, r2] = cluster.regions;
    if (r1 === undefined || r2 === undefined) throw new Error('two regions expected');
    await Promise.all([cluster.startImport(r1), cluster.startImport(r2), cluster.startImport(r1)]);
    const files = await cluster.waitEveryRegionHoldsEverything();
    for (const file of files)
      expect(cluster.upstreamRequestsFor(cluster.streamPathOf(file.sha256)), file.filename).toBe(1);
  });
}, 600_000);
