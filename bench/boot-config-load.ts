// The region's boot-config endpoint under a storm of unique MACs (what 500 machines booting at
// once cost the region), without the rack or the file transfers: N POSTs to
// /MAAS/internal/boot-config/, C in flight, each for a MAC the region has never seen (an
// enlisting machine, as in the boot storm). Not a suite (there is no peer): a before/after probe
// for the region's per-request cost.
//   npx tsx --conditions=source bench/boot-config-load.ts [--requests 500] [--concurrency 64]
//     [--dialect sqlite|postgres] [--json]
// postgres needs KILN_TEST_PG_URL.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getOrCreateRackSecret } from '@kiln/region';
import { startTestRegion } from '@kiln/region/testing';
import { simulatedMac } from '@kiln/testkit';
import { insertCompleteImage } from '../packages/region/src/machines/tests/test-support.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '64' },
    dialect: { type: 'string', default: 'sqlite' },
    json: { type: 'boolean', default: false },
    // internal: the client child's target
    url: { type: 'string' },
    secret: { type: 'string' },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const dialect = values.dialect === 'postgres' ? 'postgres' : 'sqlite';

/** N requests, C in flight, from this process: the region runs in the parent, alone on its loop. */
async function load(url: URL, secret: string): Promise<void> {
  const ask = async (i: number): Promise<number> => {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Kiln-Rack-Secret': secret },
      body: JSON.stringify({
        mac: simulatedMac(i, 7),
        arch: 'amd64',
        subarch: null,
        uuid: null,
        rack_address: '10.0.0.2',
        remote_address: null,
        protocol: 'http',
        loader: 'ipxe',
      }),
    });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`boot-config ${response.status}: ${body}`);
    return performance.now() - started;
  };
  await Promise.all(Array.from({ length: 20 }, (_, i) => ask(requests + i))); // warm-up
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) latencies.push(await ask(next++));
    }),
  );
  const totalMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const result = {
    dialect,
    requests,
    concurrency,
    totalMs: Math.round(totalMs),
    perSecond: Math.round((requests / totalMs) * 1000),
    p50Ms: Math.round(at(0.5)),
    p99Ms: Math.round(at(0.99)),
  };
  console.log(values.json ? JSON.stringify(result) : result);
}

if (values.url !== undefined && values.secret !== undefined) {
  await load(new URL(values.url), values.secret);
} else {
  const region = await startTestRegion({ dialect, env: { KILN_LOG_LEVEL: 'warn' } });
  try {
    await insertCompleteImage(region.region.db);
    const secret = await getOrCreateRackSecret(region.region.db);
    const url = new URL('internal/boot-config/', region.url).href;
    const child = spawn(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        ...process.argv.slice(2),
        '--url',
        url,
        '--secret',
        secret,
      ],
      { stdio: 'inherit' },
    );
    const code = await new Promise((resolve) => child.once('exit', resolve));
    if (code !== 0) process.exitCode = 1;
  } finally {
    await region.close();
  }
}
