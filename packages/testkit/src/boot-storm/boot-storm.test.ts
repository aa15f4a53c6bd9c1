import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { expectedSha256 } from './ipxe-urls.js';
import { runBootStorm } from './run-boot-storm.js';
import { launchRack } from './test-support/launch-rack.js';
import { startStormRegion, type StormRegion } from './test-support/storm-region.js';

describe('boot storm simulator against a real region and rack', () => {
  let region: StormRegion;
  let proxy: CountingProxy;

  beforeAll(async () => {
    region = await startStormRegion({ scale: 20 });
    proxy = await startCountingProxy(region.url);
  }, 120_000);
  afterAll(async () => {
    await proxy.close();
    await region.close();
  });

  for (const transport of ['http', 'tftp'] as const) {
    it(
      `20 machines (config over ${transport}) all boot, bytes verified, one region fetch per file`,
      { timeout: 120_000 },
      async () => {
        proxy.reset();
        const rack = await launchRack({
          regionUrl: proxy.url,
          rackSecret: region.rackSecret,
          tftp: transport === 'tftp',
        });
        try {
          const report = await runBootStorm({
            baseUrl: rack.baseUrl,
            machines: 20,
            timeoutMs: 30_000,
            deadlineMs: 90_000,
            ...(rack.tftpPort === undefined ? {} : { tftpPort: rack.tftpPort }),
          });
          expect(report.errors).toEqual([]);
          expect(report.completed).toBe(20);
          // kernel, initrd and squashfs, each named by the sha256 its bytes were checked against
          const paths = Object.keys(report.files);
          expect(paths).toHaveLength(3);
          const fetches = proxy.fileFetches();
          for (const path of paths) {
            const sha = expectedSha256(`http://x${path}`);
            expect(sha).toMatch(/^[0-9a-f]{64}$/);
            expect(fetches.get(sha ?? '')).toBe(1);
          }
          expect([...fetches.keys()].sort()).toEqual(
            paths.map((p) => expectedSha256(`http://x${p}`)).sort(),
          );
          expect(await rack.peakRssBytes()).toBeGreaterThan(0);
        } finally {
          await rack.stop();
        }
      },
    );
  }
});
