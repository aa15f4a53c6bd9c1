import { createHash, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { oauthHeader } from '@kiln/region/testing';
import { expect, it } from 'vitest';
import { Cluster, waitFor, type ClusterOptions } from '../harness/index.js';
import { FAST_SYNC_ENV } from '../harness/sync-settings.js';

// The findings of issue 12 ("what main does today"), each as it should behave instead: real
// region processes on one PostgreSQL database, a counting upstream, no region importing unless
// the test asks it to.

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

it('fetches every upstream file once per cluster of three regions; regions that never imported hold every file', async () => {
  await withCluster({ regions: 3 }, async (cluster) => {
    const [r1, r2, r3] = cluster.regions;
    await cluster.startImport(r1);
    const files = await cluster.waitEveryRegionHoldsEverything();
    for (const region of [r1, r2, r3]) await cluster.waitAllSetsComplete(region);
    const counts = Object.fromEntries(
      files.map((f) => [
        f.filename + ' ' + f.sha256.slice(0, 8),
        cluster.upstreamRequestsFor(cluster.streamPathOf(f.sha256)),
      ]),
    );
    for (const count of Object.values(counts)) expect(count, JSON.stringify(counts)).toBe(1);
    expect(cluster.upstreamBlobBytes()).toBe(files.reduce((sum, f) => sum + f.size, 0));
  });
}, 600_000);

it('makes a custom upload to one region of two deployable: both regions hold it and its set is complete', async () => {
  await withCluster({ regions: 2 }, async (cluster) => {
    const [r1, r2] = cluster.regions;
    if (r1 === undefined || r2 === undefined) throw new Error('two regions expected');
    const content = randomBytes(3 * 1024 * 1024);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const created = await cluster.apiJson<{
      id: number;
      sets: Record<string, { files: Record<string, { upload_uri?: string }> }>;
    }>(
      'boot-resources/',
      {
        method: 'POST',
        body: new URLSearchParams({
          name: 'centos/mr8',
          title: 'mr8',
          architecture: 'amd64/generic',
          filetype: 'tgz',
          sha256,
          size: String(content.length),
        }),
      },
      r1,
    );
    const uri = Object.values(Object.values(created.sets)[0]?.files ?? {})[0]?.upload_uri ?? '';
    expect(uri).not.toBe('');
    const put = await fetch(new URL(uri, r1.url), {
      method: 'PUT',
      headers: {
        authorization: oauthHeader(cluster.adminApiKey),
        'content-type': 'application/octet-stream',
      },
      body: content,
    });
    expect(put.status).toBe(200);
    await waitFor('both regions to hold the upload', async () => {
      const holders = await cluster.holders({ sha256, size: content.length, filename: 'root-tgz' });
      return holders.length === 2 ? holders : undefined;
    });
    for (const region of [r1, r2]) {
      const sets = await cluster.waitAllSetsComplete(region);
      expect(sets.find((s) => s.name === 'centos/mr8')?.complete).toBe(true);
    }
  });
}, 600_000);

it('does not let a dead but still registered region block a new image', async () => {
  await withCluster({ regions: 2 }, async (cluster) => {
    const [r1, r2] = cluster.regions;
    if (r1 === undefined || r2 === undefined) throw new Error('two regions expected');
    await r2.kill9();
    await cluster.startImport(r1);
    const sets = await cluster.waitAllSetsComplete(r1);
    expect(sets.length).toBeGreaterThan(0);
    // When it comes back it catches up from r1 (upstream is not asked again).
    const before = cluster.upstreamBlobRequests().length;
    await r2.start();
    await cluster.waitEveryRegionHoldsEverything();
    expect(cluster.upstreamBlobRequests().length).toBe(before);
  });
}, 600_000);

it('lets a region that rejoins with an empty store while upstream is down catch up from its peer, images staying deployable', async () => {
  await withCluster({ regions: 2 }, async (cluster) => {
    const [r1, r2] = cluster.regions;
    if (r1 === undefined || r2 === undefined) throw new Error('two regions expected');
    await cluster.startImport(r1);
    await cluster.waitEveryRegionHoldsEverything();
    await r2.stop();
    await rm(join(r2.dataDir, 'image-storage'), { recursive: true, force: true });
    cluster.upstream.addFault({ kind: 'status', path: /./, status: 503 });
    await r2.start();
    // The sets stay complete while r2 catches up: an empty joiner is not required yet.
    expect((await cluster.sets(r1)).every((s) => s.complete)).toBe(true);
    await cluster.waitEveryRegionHoldsEverything();
    for (const region of [r1, r2]) await cluster.waitAllSetsComplete(region);
  });
}, 600_000);

it('hands an import over to another region when the importing region is killed mid-download, resuming with Range', async () => {
  await withCluster({ regions: 2 }, async (cluster) => {
    const [r1, r2] = cluster.regions;
    if (r1 === undefined || r2 === undefined) throw new Error('two regions expected');
    // The squashfs stalls half-way on its first request: whoever downloads it is then killed.
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
    const downloader = await waitFor('the region downloading the squashfs', () =>
      cluster.regionOfRequest(first),
    );
    await downloader.kill9();
    cluster.upstream.releaseStalls();
    const survivor = downloader === r1 ? r2 : r1;
    const sets = await cluster.waitAllSetsComplete(survivor);
    expect(sets.length).toBeGreaterThan(0);
    const holders = await cluster.holders({
      sha256: squashfs.sha256,
      size: squashfs.size,
      filename: 'squashfs',
    });
    expect(holders).toContain(survivor.name);
    const again = cluster.upstream.requests.filter((r) => r.path.endsWith(squashfs.path)).slice(1);
    expect(again.length).toBeGreaterThan(0);
    expect(again[0]?.range).toMatch(/^bytes=[1-9]\d*-/);
  });
}, 600_000);
