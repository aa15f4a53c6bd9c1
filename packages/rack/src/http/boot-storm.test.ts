import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBootFileCache, type BootFileCache } from '../cache/index.js';
import { FakeRegion } from '../cache/test-support/fake-region.js';
import { randomFile, tempDir } from '../cache/test-support/test-env.js';
import { createRackHttpServer, type RackHttpServer } from './rack-http-server.js';

const MiB = 1024 * 1024;
const CLIENTS = 200;
const WORKERS = 2;

// The clients run in worker threads so that receiving and hashing 10 GB does not share one
// event loop with the rack server under test (the machine has two cores).
const CLIENT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const crypto = require('node:crypto');
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
let started = 0;
const results = [];
for (let i = 0; i < workerData.count; i++) {
  http.get(workerData.url, { agent }, (res) => {
    const hash = crypto.createHash('sha256');
    let bytes = 0;
    res.on('data', (chunk) => {
      if (bytes === 0) parentPort.postMessage({ type: 'first-bytes' });
      bytes += chunk.length;
      hash.update(chunk);
    });
    const finish = (error) => {
      results.push({ status: res.statusCode, sha256: hash.digest('hex'), bytes, error });
      if (results.length === workerData.count) parentPort.postMessage({ type: 'done', results });
    };
    res.on('end', () => finish(undefined));
    res.on('error', (e) => finish(String(e)));
  }).on('error', (e) => {
    results.push({ status: 0, sha256: '', bytes: 0, error: String(e) });
    if (results.length === workerData.count) parentPort.postMessage({ type: 'done', results });
  });
}
`;

interface ClientResult {
  status: number;
  sha256: string;
  bytes: number;
  error?: string;
}

describe('boot storm', () => {
  let region: FakeRegion;
  let dir: { path: string; remove: () => Promise<void> };
  let cache: BootFileCache;
  let rack: RackHttpServer;
  let base: string;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    region = await new FakeRegion().start();
    dir = await tempDir('storm');
    cache = await createBootFileCache({ dir: dir.path, regionUrls: [region.url], logger });
    rack = createRackHttpServer({
      cache,
      regionUrls: [region.url],
      logger,
      bootloaders: { resolve: () => Promise.resolve(undefined) },
      bootConfigs: { isBootConfigPath: () => false, render: () => Promise.resolve(undefined) },
    });
    const address = await rack.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await rack.close();
    await cache.close();
    await region.close();
    await dir.remove();
  });

  it(
    `${CLIENTS} clients ask for the same cold 50 MB file: one region request, all get the right bytes, streamed before complete`,
    { timeout: 240_000 },
    async () => {
      const id = region.addFile(randomFile(50 * MiB));
      // The region stops a quarter of the way in until every client has bytes: proof that
      // clients are streamed what has arrived instead of waiting for the whole file.
      const gate = region.pauseAt(id, 12 * MiB);
      let firstBytes = 0;
      let allHaveBytes!: () => void;
      const everyoneHasBytes = new Promise<void>((resolve) => (allHaveBytes = resolve));
      const url = `${base}/images/${id}/ubuntu/amd64/ga-24.04/noble/stable/squashfs`;
      const done = Array.from({ length: WORKERS }, () => {
        const worker = new Worker(CLIENT_WORKER, {
          eval: true,
          workerData: { url, count: CLIENTS / WORKERS },
        });
        return new Promise<ClientResult[]>((resolve, reject) => {
          worker.on('message', (message: { type: string; results?: ClientResult[] }) => {
            if (message.type === 'first-bytes' && ++firstBytes === CLIENTS) allHaveBytes();
            if (message.type === 'done') {
              resolve(message.results ?? []);
              void worker.terminate();
            }
          });
          worker.on('error', reject);
        });
      });
      await gate.reached;
      await everyoneHasBytes;
      // Every client is mid-transfer while the region is parked after 12 MiB, one request in.
      expect(region.fileRequests(id)).toHaveLength(1);
      expect(cache.list()).toEqual([
        expect.objectContaining({ sha256: id, state: 'fetching', readers: CLIENTS }),
      ]);
      gate.open();
      const results = (await Promise.all(done)).flat();
      expect(results).toHaveLength(CLIENTS);
      for (const result of results) {
        expect(result).toEqual({ status: 200, sha256: id, bytes: 50 * MiB, error: undefined });
      }
      expect(region.fileRequests(id)).toHaveLength(1);
      expect(cache.list()).toEqual([
        expect.objectContaining({ sha256: id, state: 'complete', readers: 0 }),
      ]);
    },
  );
});
