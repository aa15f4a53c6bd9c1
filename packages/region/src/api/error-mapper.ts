import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { isAppError } from '@kiln/node-kit';

/**
 * The only place errors become HTTP responses, following MAAS: form errors as a JSON object of
 * field → messages, everything else as a text/plain message; unexpected errors are logged and
 * answered 500 without internals.
 */
export function sendError(
  reply: FastifyReply,
  error: unknown,
  log: FastifyBaseLogger,
): FastifyReply {
  if (isAppError(error) && error.status < 500) {
    const fields = error.details?.fields;
    const allow = error.details?.allow;
    if (typeof allow === 'string') reply.header('Allow', allow);
    if (error.status === 401) reply.header('WWW-Authenticate', 'OAuth realm="MAAS API"');
    if (fields !== undefined && typeof fields === 'object') {
      return reply
        .code(error.status)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(fields));
    }
    return reply.code(error.status).type('text/plain; charset=utf-8').send(error.message);
  }
  if (isAppError(error)) {
    log.error({ err: error, code: error.code }, 'request failed');
    return reply.code(error.status).type('text/plain; charset=utf-8').send(error.message);
  }
  // Fastify's own client errors (body too large, bad content type, malformed multipart).
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return reply
      .code(status)
      .type('text/plain; charset=utf-8')
      .send((error as Error).message);
  }
  log.error({ err: error }, 'unexpected error');
  return reply.code(500).type('text/plain; charset=utf-8').send('Internal server error.');
}
