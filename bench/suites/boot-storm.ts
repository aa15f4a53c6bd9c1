/**
 * Boot storm: N simulated machines (default 500) boot at once from one cold rack: iPXE config by
 * MAC over HTTP, then the kernel, initrd and squashfs the config names (sha256-checked), then the
 * preseed from the metadata server through the rack's /MAAS/ proxy. The rack agent runs in its
 * own process against a real region that imported a signed fixture stream; a counting proxy in front
 * of the region proves one region fetch per file. The machines (clients) run in a third process
 * (lib/storm-clients.ts), so their hashing never delays the region's answers. The peer is nginx serving the same files, the
 * same config (as a static file) and the same preseed, pre-placed, to the same clients.
 *
 * Environment: KILN_BENCH_STORM_MACHINES (500), KILN_BENCH_STORM_SCALE (1000: kernel 3 MB,
 * initrd 5 MB, squashfs 20 MB; 3333 gives 10/17/67 MB), KILN_BENCH_STORM_CONCURRENCY (all),
 * KILN_BENCH_STORM_VERIFY (1: hash every byte on the client), KILN_BENCH_STORM_TIMEOUT_MS
 * (300000: a transfer idle this long fails), KILN_BENCH_STORM_PROFILE (a folder:
 * the rack child runs with --cpu-prof there).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  expectedSha256,
  parseIpxeBootUrls,
  simulatedMac,
  startCountingProxy,
  type BootStormReport,
  type CountingProxy,
} from '@kiln/testkit';
import { launchRack } from '../../packages/testkit/src/boot-storm/test-support/launch-rack.js';
import {
  startStormRegion,
  type StormRegion,
} from '../../packages/testkit/src/boot-storm/test-support/storm-region.js';
import { startNginx, type NginxProcess } from '../lib/nginx.js';
import { runBootStormInChild } from '../lib/storm-clients.js';
import type { BenchSuite } from '../lib/types.js';

const env = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const MACHINES = env('KILN_BENCH_STORM_MACHINES', 500);
const SCALE = env('KILN_BENCH_STORM_SCALE', 1000);
const CONCURRENCY = env('KILN_BENCH_STORM_CONCURRENCY', MACHINES);
const VERIFY = process.env.KILN_BENCH_STORM_VERIFY !== '0';
const PROFILE_DIR = process.env.KILN_BENCH_STORM_PROFILE;
// Generous: with hundreds of unique MACs the region's boot-config answers queue up, and a
// machine waiting for its config is slow, not failed (iPXE would retry).
const TIMEOUT_MS = env('KILN_BENCH_STORM_TIMEOUT_MS', 300_000);

interface StormState {
  readonly work: string;
  readonly region: StormRegion;
  readonly proxy: CountingProxy;
  readonly nginx: NginxProcess;
  readonly nginxUrl: string;
  readonly kilnRuns: Record<string, unknown>[];
  readonly peerRuns: Record<string, unknown>[];
  seed: number;
}

const randomLoopback = (): string =>
  `127.0.${100 + Math.floor(Math.random() * 100)}.${2 + Math.floor(Math.random() * 250)}`;

async function get(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** The files, config and preseed one cold rack gave a machine, placed for nginx under `root`. */
async function placeForNginx(
  state: { region: StormRegion; proxy: CountingProxy },
  root: string,
  host: string,
): Promise<void> {
  const rack = await launchRack({
    regionUrl: state.proxy.url,
    rackSecret: state.region.rackSecret,
  });
  try {
    const config = (await get(`${rack.baseUrl}/ipxe.cfg-${simulatedMac(0, 255)}`)).toString();
    const urls = parseIpxeBootUrls(config);
    if (urls === null) throw new Error(`not an ephemeral boot config:\n${config}`);
    await mkdir(join(root, 'images'), { recursive: true });
    for (const url of [urls.kernel, urls.initrd, urls.root]) {
      await writeFile(join(root, 'images', expectedSha256(url) ?? 'missing'), await get(url));
    }
    await writeFile(join(root, 'preseed.txt'), await get(urls.metadata));
    await writeFile(join(root, 'ipxe.cfg'), config.replaceAll(rack.host, host));
  } finally {
    await rack.stop();
  }
}

function summary(report: BootStormReport): Record<string, unknown> {
  const { errors: _errors, files: _files, ...figures } = report;
  return figures;
}

function check(report: BootStormReport, side: string): void {
  if (report.failed > 0)
    throw new Error(`${side}: ${report.failed} machines failed: ${JSON.stringify(report.errors)}`);
}

const suite: BenchSuite<StormState> = {
  name: 'boot-storm',
  description: `${MACHINES} machines boot at once from one cold rack (config, kernel, initrd, squashfs, preseed; files ${SCALE * 3000}/${SCALE * 5000}/${SCALE * 20000} bytes)`,
  warmup: 0,
  repeats: 3,
  debianPackages: { nginx: 'nginx' },
  async setup() {
    const work = await mkdtemp(join(tmpdir(), 'kiln-bench-storm-'));
    const region = await startStormRegion({ scale: SCALE, timeoutMs: 900_000 });
    const proxy = await startCountingProxy(region.url);
    const host = randomLoopback();
    await placeForNginx({ region, proxy }, join(work, 'www'), host);
    const nginx = await startNginx({
      prefix: join(work, 'nginx'),
      probeUrl: `http://${host}:5248/`,
      server: `    listen ${host}:5248;
    root ${join(work, 'www')};
    location ~ "^/ipxe\\.cfg-" { default_type text/plain; try_files /ipxe.cfg =404; }
    location /MAAS/metadata/ { default_type text/plain; try_files /preseed.txt =404; }
    location ~ "^/images/([0-9a-f]{64})(/.*)?$" { try_files /images/$1 =404; }`,
    });
    return {
      work,
      region,
      proxy,
      nginx,
      nginxUrl: `http://${host}:5248`,
      kilnRuns: [],
      peerRuns: [],
      seed: 0,
    };
  },
  async kiln(state) {
    state.proxy.reset();
    const rack = await launchRack({
      regionUrl: state.proxy.url,
      rackSecret: state.region.rackSecret,
      ...(PROFILE_DIR === undefined
        ? {}
        : { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] }),
    });
    try {
      const report = await runBootStormInChild({
        baseUrl: rack.baseUrl,
        machines: MACHINES,
        concurrency: CONCURRENCY,
        verify: VERIFY,
        macSeed: state.seed++,
        timeoutMs: TIMEOUT_MS,
      });
      check(report, 'kiln');
      const fetches = Object.fromEntries(state.proxy.fileFetches());
      const wrong = Object.entries(fetches).filter(([, n]) => n !== 1);
      if (wrong.length > 0)
        throw new Error(`region fetches per file are not 1: ${JSON.stringify(fetches)}`);
      state.kilnRuns.push({
        ...summary(report),
        rackPeakRssBytes: await rack.peakRssBytes(),
        regionFetchesPerFile: fetches,
        regionBootConfigCalls: state.proxy.counts().get('/MAAS/internal/boot-config/') ?? 0,
      });
      return report.totalMs;
    } finally {
      await rack.stop();
    }
  },
  peer: {
    name: 'nginx',
    async run(state) {
      const report = await runBootStormInChild({
        baseUrl: state.nginxUrl,
        machines: MACHINES,
        concurrency: CONCURRENCY,
        verify: VERIFY,
        macSeed: state.seed++,
        timeoutMs: TIMEOUT_MS,
      });
      check(report, 'nginx');
      state.peerRuns.push(summary(report));
      return report.totalMs;
    },
  },
  details: (state) => ({
    machines: MACHINES,
    scale: SCALE,
    verify: VERIFY,
    kilnRuns: state.kilnRuns,
    nginxRuns: state.peerRuns,
  }),
  async teardown(state) {
    await state.nginx.stop();
    await state.proxy.close();
    await state.region.close();
    await rm(state.work, { recursive: true, force: true });
  },
};

export default suite;
