import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AppError } from '@kiln/node-kit';
import { authenticateOAuth, type Authenticated } from '../auth/index.js';
import type { RegionContext } from '../region-context.js';
import { describeApi, apiHash } from './describe-doc.js';
import { selectAction } from './dispatch.js';
import { validateForm } from './fields.js';
import {
  API_PREFIX,
  type ApiRequest,
  type ApiResult,
  type HandlerDeclaration,
  type HttpMethod,
} from './handler-types.js';
import { readForm } from './read-body.js';
import { authenticateSession } from '../web/session-auth.js';

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE'];
const OP_SUFFIX_PARAM = 'kilnOpSuffix';

function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? request.hostname}`;
}

function send(reply: FastifyReply, result: ApiResult): FastifyReply {
  if ('json' in result) {
    return reply
      .code(result.status)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(result.json));
  }
  if ('text' in result)
    return reply.code(result.status).type('text/plain; charset=utf-8').send(result.text);
  if ('bytes' in result)
    return reply.code(result.status).type(result.contentType).send(result.bytes);
  // Piston's 204 carries a bare text/plain type; maascli reads the type of every response and
  // crashes on a missing one.
  return reply.code(204).type('text/plain').send();
}

async function authenticate(
  request: FastifyRequest,
  region: RegionContext,
): Promise<(Omit<Authenticated, 'token'> & { token: Authenticated['token'] | null }) | null> {
  const header = request.headers.authorization;
  if (header === undefined || header === '') {
    // No OAuth header: the web UI's session cookie (with CSRF check on unsafe methods).
    const user = await authenticateSession(region.db, request);
    return user === null ? null : { user, token: null };
  }
  return authenticateOAuth(region.db, header, Math.floor(Date.now() / 1000), {
    readOnly: request.method === 'GET' || request.method === 'HEAD',
  });
}

async function handle(
  handler: HandlerDeclaration,
  request: FastifyRequest,
  reply: FastifyReply,
  region: RegionContext,
): Promise<FastifyReply> {
  const method = request.method as HttpMethod;
  const auth = await authenticate(request, region);
  if (handler.access === 'auth' && auth === null) {
    throw new AppError('AUTH_REQUIRED', 'Forbidden');
  }
  if (handler.admin === true && auth?.user.is_admin !== 1) {
    throw new AppError('AUTH_NOT_ALLOWED', 'User is not allowed access to this API.');
  }
  const { form, op: formOp } = await readForm(request);
  // MAAS's dispatcher also takes the operation from a `/op-<name>` path suffix.
  const op = formOp ?? (request.params as { [OP_SUFFIX_PARAM]?: string })[OP_SUFFIX_PARAM] ?? null;
  const action = selectAction(handler, method, op);
  if (action.admin === true && auth?.user.is_admin !== 1) {
    throw new AppError('AUTH_ADMIN_ONLY', 'This method is reserved for admin users.');
  }
  const input = validateForm(action.fields ?? [], form);
  const apiRequest: ApiRequest = {
    method,
    params: request.params as Record<string, string>,
    form,
    rawBody: Buffer.isBuffer(request.body) ? request.body : null,
    accept: request.headers.accept ?? null,
    user: auth?.user ?? null,
    token: auth?.token ?? null,
    origin: originOf(request),
    // build-app.ts gives Fastify a pino logger, so each request's child logger is a pino Logger;
    // Fastify's types only promise its smaller FastifyBaseLogger.
    log: request.log as unknown as Logger,
  };
  return send(reply, await action.run({ request: apiRequest, input, region }));
}

/** Routes every declared handler under /MAAS/api/2.0/, plus describe/ and the API hash header. */
export function registerApiRoutes(
  app: FastifyInstance,
  handlers: readonly HandlerDeclaration[],
  region: RegionContext,
): void {
  const hash = apiHash(handlers);
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith(API_PREFIX)) reply.header('X-MAAS-API-Hash', hash);
    return payload;
  });
  // maascli compares describe/'s type to exactly `application/json` (no charset), as MAAS sends it.
  app.get(`${API_PREFIX}describe/`, async (request, reply) =>
    reply
      .type('application/json')
      // A Buffer: Fastify appends a charset to string JSON payloads.
      .send(Buffer.from(JSON.stringify(describeApi(handlers, originOf(request), hash)))),
  );
  for (const handler of handlers) {
    const url = `${API_PREFIX}${handler.path.replace(/\{(\w+)\}/g, ':$1')}`;
    // Errors reach the app's error handler (sendError), which also sets `Allow` on a 405.
    const routeHandler = async (request: FastifyRequest, reply: FastifyReply) =>
      handle(handler, request, reply, region);
    app.route({ method: [...METHODS], url, handler: routeHandler });
    const base = url.endsWith('/') ? url : `${url}/`;
    app.route({
      method: [...METHODS],
      url: `${base}op-:${OP_SUFFIX_PARAM}`,
      handler: routeHandler,
    });
  }
}
