import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { silentLogger } from '@kiln/node-kit';
import { openDatabase, migrateToLatest, type RegionDatabase } from '../../db/index.js';
import { ImageStore } from '../../images/index.js';
import { setSyncedSize } from '../../images/store/file-syncs.js';
import { insertBootResourceFile } from '../../testing/index.js';
import { registerPeerRoutes } from '../peer-routes.js';
import { ImageSync, type ImageSyncOptions } from '../sync-engine.js';

export async function openMigrated(url: string): Promise<RegionDatabase> {
  const database = openDatabase(url);
  await migrateToLatest(database);
  return database;
}

export interface TestFile {
  readonly bytes: Buffer;
  readonly sha256: string;
  readonly size: number;
}

export function makeFile(size: number): TestFile {
  const bytes = randomBytes(size);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), size };
}

let counter = 0;

/** A boot resource (one set, one file) the database knows; no region holds it yet. */
export async function addImage(database: RegionDatabase, file: TestFile): Promise<void> {
  counter += 1;
  await insertBootResourceFile(database.db, {
    type: 2,
    name: `custom/sync${counter}`,
    architecture: 'amd64/generic',
    version: '20260101',
    label: 'uploaded',
    filename: 'root-tgz',
    filetype: 'root-tgz',
    sha256: file.sha256,
    size: file.size,
  });
}

/**
 * One in-process region: its own store directory, its own HTTP server with the peer route, its
 * own sync engine; they share the test database.
 */
export class TestPeer {
  readonly dir: string;
  readonly store: ImageStore;
  readonly app: FastifyInstance;
  readonly sync: ImageSync;
  readonly ranges: (string | undefined)[] = [];
  readonly regionId: string;
  readonly database: RegionDatabase;

  private constructor(
    regionId: string,
    database: RegionDatabase,
    dir: string,
    options: Partial<ImageSyncOptions>,
  ) {
    this.regionId = regionId;
    this.database = database;
    this.dir = dir;
    this.store = new ImageStore(dir);
    this.app = Fastify();
    this.sync = new ImageSync({
      db: database.db,
      dialect: database.dialect,
      databaseUrl: '',
      regionId,
      store: this.store,
      logger: silentLogger(),
      pollMs: 60_000,
      heartbeatMs: 50,
      ...options,
    });
    this.app.addHook('onRequest', (request, _reply, done) => {
      this.ranges.push(request.headers.range);
      done();
    });
    registerPeerRoutes(this.app, {
      db: database.db,
      store: this.store,
      regionId,
      secret: () => this.sync.secret(),
      outboundCap: 3,
    });
  }

  static async start(
    regionId: string,
    database: RegionDatabase,
    options: Partial<ImageSyncOptions> = {},
  ): Promise<TestPeer> {
    const dir = await mkdtemp(join(tmpdir(), `kiln-sync-${regionId}-`));
    const peer = new TestPeer(regionId, database, dir, options);
    await database.db
      .insertInto('regions')
      .values({ system_id: regionId, hostname: `host-${regionId}`, created: 'x', updated: 'x' })
      .execute();
    const address = await peer.app.listen({ host: '127.0.0.1', port: 0 });
    await peer.sync.start(`${address}/MAAS/`);
    return peer;
  }

  /** Puts a verified file into this region's store and records it, as an import would. */
  async hold(file: TestFile, bytes: Buffer = file.bytes): Promise<void> {
    await this.store.ensure();
    await writeFile(this.store.pathFor(file.sha256), bytes);
    await setSyncedSize(this.database.db, this.regionId, file.sha256, file.size);
  }

  async close(): Promise<void> {
    await this.sync.stop();
    await this.app.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
