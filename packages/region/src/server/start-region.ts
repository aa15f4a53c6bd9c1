import type { Logger } from 'pino';
import { silentLogger, type KilnConfig } from '@kiln/node-kit';
import type { RegionModule } from '../api/index.js';
import { pruneNonces } from '../auth/index.js';
import {
  createSelectionChanges,
  ensureDefaultBootSource,
  syncBootSourceNotifications,
  type SelectionValidator,
} from '../boot-sources/index.js';
import type { RegionDatabase } from '../db/index.js';
import {
  API_VERSION,
  ensureRegionIdentity,
  startRegionHeartbeat,
} from '../region-identity/index.js';
import type { RegionContext } from '../region-context.js';
import { buildRegionApp } from './build-app.js';
import {
  cacheSelectionValidator,
  type ImageService,
  type ImageWorkOptions,
} from '../images/index.js';
import type { MachineContext, MachineServices } from '../machines/index.js';
import { ImageSync, registerPeerRoutes } from '../image-sync/index.js';
import { listenOrExplain } from './listen.js';
import { buildRegionModules } from './region-modules.js';
import { openRegionDatabase } from './open-region-database.js';

export interface StartRegionOptions {
  readonly config: KilnConfig;
  readonly logger?: Logger;
  /** Replaces the default accept-all check of boot source selections (the import work supplies one). */
  readonly selectionValidator?: SelectionValidator;
  /** Modules served after the region's own (tests of the API core add resources this way). */
  readonly extraModules?: readonly RegionModule[];
  /** Pieces of the machine services to use instead of the defaults (tests: clock, backoff). */
  readonly machines?: Partial<MachineServices>;
  /** Image import settings (tests and benchmarks turn the schedule off). */
  readonly images?: ImageWorkOptions;
}

export interface RunningRegion {
  /** Base URL clients use, ending in /MAAS/ (e.g. http://127.0.0.1:5240/MAAS/). */
  readonly url: string;
  readonly port: number;
  readonly database: RegionDatabase;
  readonly db: RegionDatabase['db'];
  readonly context: RegionContext;
  /** The region's image service (store, import, uploads). */
  readonly images: ImageService;
  /** The context the machine lifecycle runs with, services included. */
  readonly machines: MachineContext;
  /** This region's image sync (transfer jobs, peer copies, readiness membership). */
  readonly sync: ImageSync;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

const NONCE_PRUNE_INTERVAL_MS = 60_000;

function clientHost(address: string): string {
  if (address === '0.0.0.0' || address === '') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return address.includes(':') ? `[${address}]` : address;
}

export async function startRegion(options: StartRegionOptions): Promise<RunningRegion> {
  const { config } = options;
  const rootLogger = options.logger ?? silentLogger();
  const logger = rootLogger.child({ module: 'region' });
  const database = await openRegionDatabase(config);
  try {
    const regionId = await ensureRegionIdentity(database.db, config.dataDir);
    await ensureDefaultBootSource(database.db, database.dialect, config, logger);
    await syncBootSourceNotifications(database.db);
    const context: RegionContext = {
      db: database.db,
      dialect: database.dialect,
      config,
      // The root logger: each domain adds its own `module` (a child of the `region` child would
      // print the key twice, "module":"region","module":"images").
      logger: rootLogger,
      regionId,
    };
    const built = buildRegionModules(context, {
      selectionValidator:
        options.selectionValidator ?? cacheSelectionValidator(database.db, database.dialect),
      selectionChanges: createSelectionChanges(),
      ...(options.machines === undefined ? {} : { machines: options.machines }),
      ...(options.images === undefined ? {} : { images: options.images }),
    });
    const images = built.images.service;
    const sync = new ImageSync({
      db: database.db,
      dialect: database.dialect,
      databaseUrl: config.databaseUrl,
      regionId,
      store: images.store,
      logger,
      onUpstreamBytes: (bytes) => {
        images.metrics.bytesDownloaded.inc(bytes);
      },
    });
    images.attachSync(sync);
    let url = '';
    // First in the list: it starts before the import work (a start-up import plans jobs this
    // region's sync then runs) and stops before the app waits for in-flight requests.
    const syncModule: RegionModule = {
      name: 'image-sync',
      routes: ({ app: server, metrics }) => {
        registerPeerRoutes(server, {
          db: database.db,
          store: images.store,
          regionId,
          secret: () => sync.secret(),
          outboundCap: 3,
        });
        sync.metrics.registerInto(metrics);
      },
      start: () => sync.start(process.env.KILN_REGION_PEER_URL ?? url),
      beforeClose: () => sync.stop(),
    };
    const modules = [syncModule, ...built.all, ...(options.extraModules ?? [])];
    const app = await buildRegionApp(context, rootLogger, modules);
    const started: RegionModule[] = [];
    // Stops in reverse order of starting, once in-flight requests have finished.
    const stopModules = async (): Promise<void> => {
      for (const module of started.reverse()) await module.stop?.();
    };
    const closeApp = async (): Promise<void> => {
      for (const module of modules) await module.beforeClose?.();
      await app.close();
      await stopModules();
    };
    try {
      await listenOrExplain(app, config.listenAddress, config.regionPort);
      const bound = app.server.address();
      const boundPort =
        typeof bound === 'object' && bound !== null ? bound.port : config.regionPort;
      url = `http://${clientHost(config.listenAddress)}:${boundPort}/MAAS/`;
      for (const module of modules) {
        started.push(module);
        await module.start?.();
      }
    } catch (error) {
      await closeApp();
      throw error;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.regionPort;
    const prune = (): void => {
      pruneNonces(database.db, Math.floor(Date.now() / 1000)).catch((error: unknown) =>
        logger.warn({ err: error }, 'nonce pruning failed'),
      );
    };
    const timer = setInterval(prune, NONCE_PRUNE_INTERVAL_MS);
    timer.unref();
    // Listed alive in regioncontrollers/ from now on; the Kiln version without the `kiln-` tag.
    const stopHeartbeat = await startRegionHeartbeat({
      db: database.db,
      systemId: regionId,
      version: API_VERSION.subversion.replace(/^kiln-/, ''),
      logger,
    });
    logger.info({ url, regionId, dialect: database.dialect }, 'region listening');
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      database,
      db: database.db,
      context,
      images: built.images.service,
      machines: built.machines.context,
      sync,
      close: () => {
        closing ??= (async () => {
          clearInterval(timer);
          stopHeartbeat();
          await closeApp();
          await database.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
