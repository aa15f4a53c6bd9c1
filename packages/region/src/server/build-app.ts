import type { Registry } from 'prom-client';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createHttpMetrics } from '@kiln/node-kit';
import {
  ALL_HANDLERS,
  registerApiRoutes,
  sendError,
  type HandlerDeclaration,
} from '../api/index.js';
import type { RegionContext } from '../region-context.js';
import { registerMachineRoutes } from '../machines/index.js';
import { registerWebRoutes } from '../web/index.js';
import { registerImageRoutes } from '../images/index.js';

const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/**
 * The region's HTTP application: the MAAS API, /metrics, and MAAS-style text errors for unknown
 * paths. Fastify gives each request a child of the region logger with its request id.
 */
export async function buildRegionApp(
  region: RegionContext,
  rootLogger: Logger,
  handlers: readonly HandlerDeclaration[] = ALL_HANDLERS,
  /** Routes and metrics of services the composition root built (image sync's peer route). */
  extend?: (app: FastifyInstance, registry: Registry) => void,
): Promise<FastifyInstance> {
  const httpLogger: FastifyBaseLogger = rootLogger.child({ module: 'http' });
  const app = Fastify({
    loggerInstance: httpLogger,
    // Fastify's own pair of lines per request is at info; racks' heartbeats and the UI's polling
    // would drown everything else. One line per request at debug instead (below).
    disableRequestLogging: true,
    routerOptions: { ignoreTrailingSlash: true },
    // Idle keep-alive sockets are closed at shutdown; in-flight requests are allowed to finish.
    forceCloseConnections: 'idle',
    // Malformed URLs and the like: MAAS-style text, not Fastify's JSON.
    frameworkErrors: (error, request, reply) => {
      void sendError(reply, error, request.log);
    },
  });
  // The one place a thrown error becomes a response: routes do not catch.
  app.setErrorHandler((error, request, reply) => sendError(reply, error, request.log));
  const metrics = createHttpMetrics('kiln_region');

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => {
      done(null, new URLSearchParams(body as string));
    },
  );
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
    (_req, body, done) => {
      done(null, body);
    },
  );
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, fieldSize: 1024 * 1024 } });

  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
    metrics.observe(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  app.setNotFoundHandler(async (request, reply) =>
    reply
      .code(404)
      .type('text/plain; charset=utf-8')
      .send(`Unknown path: ${request.url.split('?')[0] ?? ''}`),
  );
  registerApiRoutes(app, handlers, region);
  await registerMachineRoutes(app, region);
  registerImageRoutes(app, region, metrics.registry);
  extend?.(app, metrics.registry);
  await registerWebRoutes(app, region);
  return app;
}
