import type { Logger } from 'pino';
import { silentLogger, type KilnConfig } from '@kiln/node-kit';
import { API_VERSION, type HandlerDeclaration } from '../api/index.js';
import { pruneNonces } from '../auth/index.js';
import {
  ensureDefaultBootSource,
  syncBootSourceNotifications,
  type SelectionValidator,
} from '../boot-sources/index.js';
import type { RegionDatabase } from '../db/index.js';
import { ensureRegionIdentity, startRegionHeartbeat } from '../region-identity/index.js';
import type { RegionContext } from '../region-context.js';
import { buildRegionApp } from './build-app.js';
import { cacheSelectionValidator, imageServiceFor, startImageWork } from '../images/index.js';
import { ImageSync, registerPeerRoutes } from '../image-sync/index.js';
import { listenOrExplain } from './listen.js';
import { openRegionDatabase } from './open-region-database.js';

export interface StartRegionOptions {
  readonly config: KilnConfig;
  readonly logger?: Logger;
  /** Replaces the default accept-all check of boot source selections (the import work supplies one). */
  readonly selectionValidator?: SelectionValidator;
  /** Replaces the full handler list (tests of the API core). */
  readonly handlers?: readonly HandlerDeclaration[];
}

export interface RunningRegion {
  /** Base URL clients use, ending in /MAAS/ (e.g. http://127.0.0.1:5240/MAAS/). */
  readonly url: string;
  readonly port: number;
  readonly database: RegionDatabase;
  readonly db: RegionDatabase['db'];
  readonly context: RegionContext;
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
      selectionValidator:
        options.selectionValidator ?? cacheSelectionValidator(database.db, database.dialect),
      regionId,
    };
    const images = imageServiceFor(context);
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
    const app = await buildRegionApp(context, rootLogger, options.handlers, (server, registry) => {
      registerPeerRoutes(server, {
        db: database.db,
        store: images.store,
        regionId,
        secret: () => sync.secret(),
        outboundCap: 3,
      });
      sync.metrics.registerInto(registry);
    });
    await listenOrExplain(app, config.listenAddress, config.regionPort);
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.regionPort;
    const prune = (): void => {
      pruneNonces(database.db, Math.floor(Date.now() / 1000)).catch((error: unknown) =>
        logger.warn({ err: error }, 'nonce pruning failed'),
      );
    };
    const timer = setInterval(prune, NONCE_PRUNE_INTERVAL_MS);
    timer.unref();
    const url = `http://${clientHost(config.listenAddress)}:${port}/MAAS/`;
    // Before the import work: a start-up import plans jobs this region's sync then runs.
    await sync.start(process.env.KILN_REGION_PEER_URL ?? url);
    await startImageWork(context);
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
      sync,
      close: () => {
        closing ??= (async () => {
          clearInterval(timer);
          stopHeartbeat();
          await sync.stop();
          await app.close();
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
