/**
 * HTTP boot serving from the rack cache vs nginx (Debian) serving the same directory, in one run.
 *
 * Under `npm run bench http` (the harness times fixed work): one iteration is 640 GETs of a 1 MB
 * file then 64 GETs of a 100 MB file, 64 at a time, by Debian's `curl --parallel` (the same
 * client for both servers); ratio = rack time / nginx time.
 *
 * Standalone, per size and with throughput figures, loaded by Debian's `wrk` (64 connections):
 *   npx tsx --conditions=source bench/suites/http.ts [--duration 10] [--connections 64] [--sizes 1,100] [--json]
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { createBootFileCache, createRackHttpServer } from '@kiln/rack';
import { pino } from 'pino';
import { startNginx as startNginxProcess } from '../lib/nginx.js';
import type { BenchSuite } from '../lib/types.js';

const run = promisify(execFile);
const MB = 1_000_000;

export interface HttpBenchOptions {
  readonly durationSeconds: number;
  readonly connections: number;
  readonly threads: number;
  readonly sizes: readonly number[];
}

export interface WrkResult {
  readonly requestsPerSecond: number;
  readonly bytesPerSecond: number;
  readonly latencyP99Ms: number | undefined;
  readonly errors: number;
  /** wrk's own error lines (non-2xx, socket connect/read/write/timeout), for the record. */
  readonly errorDetail: string;
}

export interface HttpBenchRow {
  readonly fileBytes: number;
  readonly rack: WrkResult;
  readonly nginx: WrkResult;
  /** nginx with one worker process, like the rack's one Node process. */
  readonly nginxOneWorker: WrkResult;
  /** rack / nginx bytes per second: above 1 means the rack is faster. */
  readonly ratio: number;
  readonly ratioOneWorker: number;
}

export interface HttpBenchServers {
  readonly files: ReadonlyMap<number, string>;
  readonly rackPort: number;
  readonly nginxPort: number;
  readonly nginxOneWorkerPort: number;
  stop(): Promise<void>;
}

/** Random files of the given sizes already in a rack cache folder, served by the rack and by nginx. */
export async function startHttpBenchServers(sizes: readonly number[]): Promise<HttpBenchServers> {
  const work = await mkdtemp(join(tmpdir(), 'kiln-bench-http-'));
  const cacheDir = join(work, 'cache');
  await mkdir(cacheDir);
  const files = new Map<number, string>();
  for (const size of sizes) {
    const data = randomBytes(size);
    const sha256 = createHash('sha256').update(data).digest('hex');
    // Files already in the cache folder: this measures serving cached files, not region fetches.
    await writeFile(join(cacheDir, sha256), data);
    files.set(size, sha256);
  }
  const logger = pino({ level: 'warn' });
  const cache = await createBootFileCache({ dir: cacheDir, regionUrls: [], logger });
  const rack = createRackHttpServer({
    cache,
    regionUrls: [],
    logger,
    bootloaders: { resolve: () => Promise.resolve(undefined) },
    bootConfigs: { isBootConfigPath: () => false, render: () => Promise.resolve(undefined) },
  });
  const rackPort = (await rack.listen(0, '127.0.0.1')).port;
  const nginx = await startNginx(join(work, 'nginx'), cacheDir, 'auto');
  const nginxOne = await startNginx(join(work, 'nginx-1'), cacheDir, 1);
  for (const sha256 of files.values()) {
    for (const port of [rackPort, nginx.port, nginxOne.port])
      await verify(fileUrl(port, sha256), sha256);
  }
  return {
    files,
    rackPort,
    nginxPort: nginx.port,
    nginxOneWorkerPort: nginxOne.port,
    async stop() {
      await nginx.stop();
      await nginxOne.stop();
      await rack.close();
      await cache.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}

export function fileUrl(port: number, sha256: string): string {
  return `http://127.0.0.1:${port}/images/${sha256}/ubuntu/amd64/ga-24.04/noble/stable/squashfs`;
}

/** Standalone mode: wrk for a fixed duration per server and size, throughput ratios. */
export async function runHttpBench(options: HttpBenchOptions): Promise<HttpBenchRow[]> {
  const servers = await startHttpBenchServers(options.sizes);
  try {
    const rows: HttpBenchRow[] = [];
    for (const [size, sha256] of servers.files) {
      const rackResult = await wrk(fileUrl(servers.rackPort, sha256), options);
      const nginxResult = await wrk(fileUrl(servers.nginxPort, sha256), options);
      const oneResult = await wrk(fileUrl(servers.nginxOneWorkerPort, sha256), options);
      rows.push({
        fileBytes: size,
        rack: rackResult,
        nginx: nginxResult,
        nginxOneWorker: oneResult,
        ratio: rackResult.bytesPerSecond / nginxResult.bytesPerSecond,
        ratioOneWorker: rackResult.bytesPerSecond / oneResult.bytesPerSecond,
      });
    }
    return rows;
  } finally {
    await servers.stop();
  }
}

async function verify(url: string, sha256: string): Promise<void> {
  const body = Buffer.from(await (await fetch(url)).arrayBuffer());
  const actual = createHash('sha256').update(body).digest('hex');
  if (actual !== sha256) throw new Error(`${url} served the wrong bytes (${actual})`);
}

/** nginx (lib/nginx.ts: Debian's defaults, access log off like the rack) serving the cache folder by sha256. */
async function startNginx(
  prefix: string,
  root: string,
  workers: 'auto' | 1,
): Promise<{ port: number; stop: () => Promise<void> }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const nginx = await startNginxProcess({
    prefix,
    workers,
    probeUrl: `http://127.0.0.1:${port}/`,
    server: `    listen 127.0.0.1:${port};
    location ~ "^/images/([0-9a-f]{64})(/.*)?$" {
      root ${root};
      try_files /$1 =404;
    }`,
  });
  return { port, stop: () => nginx.stop() };
}

async function wrk(url: string, options: HttpBenchOptions): Promise<WrkResult> {
  const args = [
    '-t',
    String(options.threads),
    '-c',
    String(options.connections),
    '-d',
    `${options.durationSeconds}s`,
    '--latency',
    url,
  ];
  const { stdout } = await run('wrk', args, { maxBuffer: 1 << 20 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN);
  const transfer = /Transfer\/sec:\s+([\d.]+)([KMG]?B)/.exec(stdout);
  const unit = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[transfer?.[2] ?? 'B'] ?? 1;
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  const p99Ms =
    p99 === null
      ? undefined
      : Number(p99[1]) * ({ us: 0.001, ms: 1, s: 1000 }[p99[2] ?? 'ms'] ?? 1);
  const errors = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    stdout,
  );
  const socketErrorCount =
    socketErrors === null ? 0 : socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0);
  return {
    requestsPerSecond: rps,
    bytesPerSecond: Number(transfer?.[1] ?? NaN) * unit,
    latencyP99Ms: p99Ms,
    errors: Number(errors?.[1] ?? 0) + socketErrorCount,
    errorDetail: [errors?.[0], socketErrors?.[0]].filter((line) => line !== undefined).join('; '),
  };
}

export function formatHttpBench(rows: readonly HttpBenchRow[]): string {
  const lines = ['file      server      req/s      MB/s     p99 ms   errors  rack/this'];
  for (const row of rows) {
    const size = `${row.fileBytes / MB} MB`.padEnd(9);
    const servers = [
      ['rack', row.rack, undefined],
      ['nginx', row.nginx, row.ratio],
      ['nginx-1w', row.nginxOneWorker, row.ratioOneWorker],
    ] as const;
    for (const [name, r, ratio] of servers) {
      const cells = [
        r.requestsPerSecond.toFixed(1).padStart(9),
        (r.bytesPerSecond / MB).toFixed(1).padStart(9),
        (r.latencyP99Ms?.toFixed(1) ?? '-').padStart(9),
        String(r.errors).padStart(7),
      ];
      lines.push(`${size} ${name.padEnd(9)} ${cells.join(' ')}  ${ratio?.toFixed(2) ?? ''}`);
    }
  }
  return lines.join('\n');
}

const CONNECTIONS = 64;

/** `count` GETs of `url`, `CONNECTIONS` at a time, bodies discarded; fails on any HTTP error. */
async function curlParallel(url: string, count: number): Promise<void> {
  const args = [
    '--parallel',
    '--parallel-immediate',
    '--parallel-max',
    String(CONNECTIONS),
    '-sSf',
  ];
  for (let i = 0; i < count; i++) args.push('-o', '/dev/null', url);
  await run('curl', args, { maxBuffer: 1 << 20 });
}

async function fixedLoad(port: number, files: ReadonlyMap<number, string>): Promise<void> {
  const small = files.get(1 * MB);
  const large = files.get(100 * MB);
  if (small === undefined || large === undefined) throw new Error('bench files missing');
  await curlParallel(fileUrl(port, small), 10 * CONNECTIONS);
  await curlParallel(fileUrl(port, large), CONNECTIONS);
}

const suite: BenchSuite<HttpBenchServers> = {
  name: 'http',
  description:
    'rack HTTP boot serving from cache: 640 x 1 MB then 64 x 100 MB, 64 concurrent (curl)',
  warmup: 1,
  repeats: 3,
  // wrk only for the standalone throughput mode; installed anyway so both modes work.
  debianPackages: { nginx: 'nginx', curl: 'curl', wrk: 'wrk' },
  setup: () => startHttpBenchServers([1 * MB, 100 * MB]),
  kiln: (servers) => fixedLoad(servers.rackPort, servers.files),
  peer: { name: 'nginx', run: (servers) => fixedLoad(servers.nginxPort, servers.files) },
  teardown: (servers) => servers.stop(),
};

export default suite;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '64' },
      threads: { type: 'string', default: '2' },
      json: { type: 'boolean', default: false },
      sizes: { type: 'string', default: '1,100' },
    },
  });
  const rows = await runHttpBench({
    durationSeconds: Number(values.duration),
    connections: Number(values.connections),
    threads: Number(values.threads),
    sizes: values.sizes.split(',').map((mb) => Number(mb) * MB),
  });
  console.log(values.json ? JSON.stringify(rows, null, 2) : formatHttpBench(rows));
}
