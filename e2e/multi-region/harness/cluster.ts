import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiFetch } from '@kiln/region/testing';
import {
  createTestDatabase,
  makeFixtureStream,
  makeGpgTestKey,
  serveDirectory,
  type DirectoryServer,
  type FixtureStream,
  type GpgTestKey,
  type RecordedRequest,
  type TestDatabase,
} from '@kiln/testkit';
import { startKiln, stopKiln, type KilnProcess } from './kiln-process.js';
import { RegionProcess } from './region-process.js';
import { pidOwningLocalPort } from './socket-owner.js';
import { waitFor } from './wait.js';

export interface ClusterOptions {
  /** How many `kiln region` processes (default 2). */
  readonly regions?: number;
  /** Fixture size multiplier (sizes are 3,000 / 5,000 / 20,000 bytes × scale; default 100). */
  readonly scale?: number;
  /** Also start one `kiln rack` whose region URLs are every region (default false). */
  readonly rack?: boolean;
  /** Settings every region gets (KILN_*), e.g. shorter lease or heartbeat periods. */
  readonly regionEnv?: Readonly<Record<string, string>>;
  /**
   * Leave `boot_images_auto_import` on (default false: the harness turns it off right after the
   * first region starts, so only the imports a test asks for run).
   */
  readonly autoImport?: boolean;
  /** Start only the first `startRegions` regions now (default all); `cluster.regions[i].start()` the rest. */
  readonly startRegions?: number;
}

export interface ClusterFile {
  readonly sha256: string;
  readonly size: number;
  readonly filename: string;
}

export interface ClusterSet {
  readonly resourceId: number;
  readonly name: string;
  readonly version: string;
  readonly complete: boolean;
  readonly files: readonly ClusterFile[];
}

/**
 * A Kiln cluster of real processes on one fresh PostgreSQL database: N regions, optionally a rack
 * pointing at all of them, and the upstream: a gpg-signed fixture stream served by a loopback
 * server that records every request (per path, with bytes sent and the client's port) and can be
 * told to fail, stall or cut.
 */
export class Cluster {
  readonly regions: RegionProcess[] = [];
  rack: KilnProcess | undefined;
  rackHttpPort = 0;
  readonly rackHost = `127.0.${String(1 + Math.floor(Math.random() * 99))}.${String(2 + Math.floor(Math.random() * 250))}`;
  adminApiKey = '';

  private constructor(
    readonly dir: string,
    readonly database: TestDatabase,
    readonly key: GpgTestKey,
    readonly stream: FixtureStream,
    readonly upstream: DirectoryServer,
  ) {}

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-cluster-'));
    const database = await createTestDatabase('postgres');
    const key = await makeGpgTestKey();
    const stream = await makeFixtureStream({
      dir,
      signing: { kind: 'gpg', key },
      scale: options.scale ?? 100,
    });
    const upstream = await serveDirectory(stream.root);
    const cluster = new Cluster(dir, database, key, stream, upstream);
    try {
      const count = options.regions ?? 2;
      for (let i = 1; i <= count; i += 1) {
        cluster.regions.push(
          new RegionProcess({
            name: `r${String(i)}`,
            dataDir: join(dir, `r${String(i)}`, 'data'),
            databaseUrl: database.url,
            env: {
              KILN_BOOT_SOURCE_URL: upstream.url,
              KILN_BOOT_SOURCE_KEYRING: key.keyringPath,
              ...options.regionEnv,
            },
          }),
        );
      }
      // The first start creates the schema and the administrator; the others join it.
      const [first, ...rest] = cluster.regions;
      if (first === undefined) throw new Error('a cluster needs at least one region');
      await first.start();
      cluster.adminApiKey = first.printedApiKey;
      if (cluster.adminApiKey === '')
        throw new Error(`the first region printed no API key:\n${first.output()}`);
      if (options.autoImport !== true) await cluster.setConfig('boot_images_auto_import', 'false');
      const later = rest.slice(0, Math.max(0, (options.startRegions ?? count) - 1));
      await Promise.all(later.map((region) => region.start()));
      if (options.rack === true) await cluster.startRack();
      return cluster;
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }

  /** `kiln rack --region-url <every region> --secret <kiln secret> --dhcp off`, ports chosen by the OS. */
  async startRack(): Promise<void> {
    const { match: secretMatch } = await startKiln(
      ['secret'],
      { KILN_DATABASE_URL: this.database.url, KILN_DATA_DIR: join(this.dir, 'secret') },
      /^([0-9a-f]{64})$/m,
      join(this.dir, 'secret.log'),
    );
    const started = await startKiln(
      ['rack', '--dhcp', 'off', '--secret', secretMatch[1] ?? ''],
      {
        KILN_DATA_DIR: join(this.dir, 'rack'),
        KILN_REGION_URLS: this.regions.map((r) => r.url).join(','),
        // The region's boot configs name the rack's standard port 5248, so the rack gets a
        // loopback address of its own rather than another port.
        KILN_RACK_HTTP_PORT: '5248',
        KILN_TFTP_PORT: '0',
        KILN_LISTEN_ADDRESS: this.rackHost,
        KILN_LOG_LEVEL: 'warn',
      },
      /HTTP boot server: port (\d+)/,
      join(this.dir, 'rack.log'),
    );
    this.rack = started.process;
    this.rackHttpPort = Number(started.match[1]);
  }

  region(name: string): RegionProcess {
    const found = this.regions.find((r) => r.name === name);
    if (found === undefined) throw new Error(`no region ${name}`);
    return found;
  }

  /** A signed API call to `region` (the first running region by default) as the administrator. */
  async api(path: string, init: RequestInit = {}, region?: RegionProcess): Promise<Response> {
    const target = region ?? this.regions.find((r) => r.running);
    if (target === undefined) throw new Error('no region is running');
    return apiFetch(target.url, path, { ...init, apiKey: this.adminApiKey });
  }

  async apiJson<T>(path: string, init: RequestInit = {}, region?: RegionProcess): Promise<T> {
    const response = await this.api(path, init, region);
    const text = await response.text();
    if (!response.ok) throw new Error(`${path} answered ${String(response.status)}: ${text}`);
    return JSON.parse(text) as T;
  }

  /** maas/?op=set_config, as an operator would. */
  async setConfig(name: string, value: string): Promise<void> {
    const response = await this.api('maas/?op=set_config', {
      method: 'POST',
      body: new URLSearchParams({ name, value }),
    });
    if (!response.ok)
      throw new Error(
        `set_config ${name} answered ${String(response.status)}: ${await response.text()}`,
      );
  }

  /** The region that made an upstream request (matched by the request's client port). */
  async regionOfRequest(request: RecordedRequest): Promise<RegionProcess | undefined> {
    const pid = await pidOwningLocalPort(request.remotePort);
    return this.regions.find((r) => r.running && r.pid === pid);
  }

  /** POST boot-resources/?op=import on `region`. */
  async startImport(region?: RegionProcess): Promise<void> {
    const response = await this.api('boot-resources/?op=import', { method: 'POST' }, region);
    if (!response.ok)
      throw new Error(`import answered ${String(response.status)}: ${await response.text()}`);
  }

  /** The rack's HTTP boot server, `http://<rack host>:5248`. */
  get rackUrl(): string {
    return `http://${this.rackHost}:${String(this.rackHttpPort)}`;
  }

  /** Every set of every boot resource, as one region's API reports it (`complete` is cluster-wide). */
  async sets(region?: RegionProcess): Promise<ClusterSet[]> {
    const list = await this.apiJson<{ id: number; name: string }[]>('boot-resources/', {}, region);
    const out: ClusterSet[] = [];
    for (const { id, name } of list) {
      const detail = await this.apiJson<{
        sets: Record<
          string,
          { version: string; complete: boolean; files: Record<string, ClusterFile> }
        >;
      }>(`boot-resources/${String(id)}/`, {}, region);
      for (const set of Object.values(detail.sets))
        out.push({
          resourceId: id,
          name,
          version: set.version,
          complete: set.complete,
          files: Object.values(set.files),
        });
    }
    return out;
  }

  /** Distinct files (by sha256) the cluster's resources reference. */
  async files(region?: RegionProcess): Promise<ClusterFile[]> {
    const byDigest = new Map<string, ClusterFile>();
    for (const set of await this.sets(region))
      for (const file of set.files) byDigest.set(file.sha256, file);
    return [...byDigest.values()];
  }

  /**
   * Which regions hold the file complete and verified on disk: the bytes in the region's store
   * hash to the sha256 (not only a database record saying so).
   */
  async holders(file: ClusterFile): Promise<string[]> {
    const out: string[] = [];
    for (const region of this.regions) {
      const path = join(region.dataDir, 'image-storage', file.sha256);
      const info = await stat(path).catch(() => undefined);
      if (info?.size !== file.size) continue;
      if ((await sha256File(path)) === file.sha256) out.push(region.name);
    }
    return out;
  }

  /** Upstream requests whose path ends with the file's stream path (blobs/<path>). */
  upstreamRequestsFor(streamPath: string): number {
    return this.upstream.requests.filter(
      (r) => r.method === 'GET' && r.path.endsWith(`/${streamPath}`),
    ).length;
  }

  /** Upstream requests for image files (stream documents excluded). */
  upstreamBlobRequests(): RecordedRequest[] {
    const paths = [...this.stream.files.keys()];
    return this.upstream.requests.filter((r) => paths.some((p) => r.path.endsWith(`/${p}`)));
  }

  /** Body bytes the upstream sent for image files. */
  upstreamBlobBytes(): number {
    return this.upstreamBlobRequests().reduce((sum, r) => sum + r.bytesSent, 0);
  }

  /** The stream path (`blobs/...` relative) of a file, found by its sha256. */
  streamPathOf(sha256: string): string {
    for (const file of this.stream.files.values()) if (file.sha256 === sha256) return file.path;
    throw new Error(`no stream file has sha256 ${sha256}`);
  }

  /** Waits until at least one set exists and every set is complete, as `region` reports it. */
  async waitAllSetsComplete(region?: RegionProcess, timeoutMs = 240_000): Promise<ClusterSet[]> {
    let last: ClusterSet[] = [];
    return waitFor(
      `every image set to be complete (as ${region?.name ?? 'the first running region'} reports)`,
      async () => {
        last = await this.sets(region);
        return last.length > 0 && last.every((s) => s.complete) ? last : undefined;
      },
      {
        timeoutMs,
        describe: () =>
          last.map((s) => `${s.name}@${s.version}: complete=${String(s.complete)}`).join(', '),
      },
    );
  }

  /** Waits until every region holds every file of every set, verified on disk. */
  async waitEveryRegionHoldsEverything(timeoutMs = 240_000): Promise<ClusterFile[]> {
    let missing: string[] = [];
    return waitFor(
      'every region to hold every file (sha256-verified on disk)',
      async () => {
        const files = await this.files();
        missing = [];
        for (const file of files) {
          const holders = await this.holders(file);
          for (const region of this.regions)
            if (!holders.includes(region.name))
              missing.push(`${region.name} lacks ${file.filename}`);
        }
        return files.length > 0 && missing.length === 0 ? files : undefined;
      },
      { timeoutMs, describe: () => missing.join(', ') || 'no files known yet' },
    );
  }

  /** Tail of every process's output, for failure messages. */
  logs(): string {
    return this.regions
      .map(
        (r) =>
          `--- ${r.name} (${r.running ? 'running' : 'stopped'}) ---\n${r.output().slice(-3000)}`,
      )
      .join('\n');
  }

  async close(): Promise<void> {
    if (this.rack !== undefined) await stopKiln(this.rack);
    await Promise.all(this.regions.map((r) => r.stop()));
    await this.upstream.close();
    await this.database.drop().catch(() => undefined);
    await this.key.cleanup();
    if (process.env.KILN_TEST_KEEP_CLUSTER === undefined)
      await rm(this.dir, { recursive: true, force: true });
  }
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}
