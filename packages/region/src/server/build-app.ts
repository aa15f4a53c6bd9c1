import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createHttpMetrics } from '@kiln/node-kit';
import { registerApiRoutes, sendError, type RegionModule } from '../api/index.js';
import type { RegionContext } from '../region-context.js';
import { requestAuthenticator } from './authenticate-request.js';

const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/**
 * The region's HTTP application: the MAAS API of every module, the modules' own routes, /metrics,
 * and MAAS-style text errors for unknown paths. Fastify gives each request a child of the region
 * logger with its request id.
 */
export async function buildRegionApp(
  region: RegionContext,
  rootLogger: Logger,
  modules: readonly RegionModule[],
): Promise<FastifyInstance> {
  const httpLogger: FastifyBaseLogger = rootLogger.child({ module: 'http' });
  const app = Fastify({
    loggerInstance: httpLogger,
    // Fastify's own pair of lines per request is at info; racks' heartbeats and the UI's polling
    // would drown everything else. One line per request at debug instead (below).
    logController: new LogController({ disableRequestLogging: true }),
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
  const handlers = modules.flatMap((module) => module.handlers ?? []);
  registerApiRoutes(app, handlers, region, requestAuthenticator(region));
  for (const module of modules) await module.routes?.({ app, metrics: metrics.registry });
  return app;
}
