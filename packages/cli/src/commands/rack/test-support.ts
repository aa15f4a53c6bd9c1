import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startTestRegion, type TestRegion } from '@kiln/region/testing';
import { makeFixtureStream, makeOpenpgpTestKey, serveDirectory } from '@kiln/testkit';

export const quietLogger = () => pino({ level: process.env.KILN_TEST_LOG ?? 'silent' });

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A proxy in front of the region that counts boot-file fetches per sha256 (what "the region saw"). */
export interface CountingProxy {
  readonly url: string;
  readonly fetches: Map<string, number>;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const base = new URL(target);
  const fetches = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const match = /^\/MAAS\/boot-resources\/([0-9a-f]{64})\//.exec(req.url ?? '');
    if (match?.[1] !== undefined && req.method === 'GET')
      fetches.set(match[1], (fetches.get(match[1]) ?? 0) + 1);
    const upstream = request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/MAAS/`,
    fetches,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, noted, closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ImportedRegion {
  readonly region: TestRegion;
  close(): Promise<void>;
}

/**
 * A real region (SQLite) that imported the testkit's signed fixture stream (noble/amd64 by
 * default) through its own importer, from a loopback server.
 */
export async function startImportedRegion(scale = 40): Promise<ImportedRegion> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-rack-e2e-'));
  const key = await makeOpenpgpTestKey();
  const stream = await makeFixtureStream({
    dir,
    signing: { kind: 'openpgp', key: key.signingKey },
    scale,
  });
  const keyringPath = join(dir, 'keyring.gpg');
  await writeFile(keyringPath, key.publicKeyring);
  const server = await serveDirectory(stream.root);
  const region = await startTestRegion({
    dialect: 'sqlite',
    logger: quietLogger(),
    env: { KILN_BOOT_SOURCE_URL: server.url, KILN_BOOT_SOURCE_KEYRING: keyringPath },
  });
  const service = region.region.images;
  await service.startImport('rack e2e');
  for (let i = 0; i < 1200; i++) {
    const running = service.running;
    if (running !== null) await running;
    else if (!(await service.isImporting())) break;
    else await new Promise((r) => setTimeout(r, 50));
  }
  return {
    region,
    close: async () => {
      await region.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
