import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';

/**
 * A loopback stand-in for the rack (images under /images/) and the region's metadata endpoints
 * (install config, maas-scripts, status webhook, op=signal, op=netboot_off) that records what the
 * ephemeral programs send. It checks each request's OAuth PLAINTEXT header against the one
 * machine token it knows, like the real metadata server, and refuses anything else with 401.
 */

export interface Credentials {
  readonly consumer_key: string;
  readonly token_key: string;
  readonly token_secret: string;
}

export interface StatusEvent {
  readonly name: string;
  readonly event_type: string;
  readonly origin: string;
  readonly description: string;
  readonly result?: string;
  readonly timestamp: number;
  readonly files?: { path: string; encoding: string; content: string }[];
}

export interface Signal {
  readonly fields: Record<string, string>;
  readonly files: Record<string, string>;
}

export interface FakeMetadataServer {
  readonly url: string;
  readonly files: Map<string, Buffer>;
  readonly events: StatusEvent[];
  readonly signals: Signal[];
  readonly netbootOff: string[];
  readonly unauthorized: string[];
  /** Anonymous machine creations (form fields, repeated keys as arrays). */
  readonly created: Record<string, string[]>[];
  /** MACs `is_registered` answers true for. */
  readonly registeredMacs: Set<string>;
  /** Signal statuses answered with 409, as MAAS does for a machine in a state that cannot take them. */
  readonly refusedSignalStatuses: Set<string>;
  close(): Promise<void>;
}

export function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  if (header?.startsWith('OAuth ') !== true) return undefined;
  const out: Record<string, string> = {};
  for (const m of header.slice(6).matchAll(/(\w+)="([^"]*)"/g))
    out[m[1] ?? ''] = decodeURIComponent(m[2] ?? '');
  return out;
}

/** Like piston's OAuth check: a timestamp further than this from the server clock is refused. */
const TIMESTAMP_WINDOW_SECONDS = 300;

function authorized(request: FastifyRequest, creds: Credentials, nowSeconds: number): boolean {
  const o = parseOAuthHeader(request.headers.authorization);
  return (
    Math.abs(Number(o?.oauth_timestamp) - nowSeconds) <= TIMESTAMP_WINDOW_SECONDS &&
    o !== undefined &&
    o.oauth_signature_method === 'PLAINTEXT' &&
    o.oauth_consumer_key === creds.consumer_key &&
    o.oauth_token === creds.token_key &&
    o.oauth_signature === `&${creds.token_secret}` &&
    /^\d+$/.test(o.oauth_timestamp ?? '') &&
    (o.oauth_nonce ?? '') !== ''
  );
}

export interface FakeServerOptions {
  /** Pretend the server clock is this far ahead: tests the clients' clock-skew correction. */
  readonly clockOffsetSeconds?: number;
}

export async function startFakeMetadataServer(
  creds: Credentials,
  options: FakeServerOptions = {},
): Promise<FakeMetadataServer> {
  const serverNow = (): number => Date.now() + (options.clockOffsetSeconds ?? 0) * 1000;
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024 });
  await app.register(multipart, { limits: { fileSize: 16 * 1024 * 1024 } });
  const state = {
    files: new Map<string, Buffer>(),
    events: [] as StatusEvent[],
    signals: [] as Signal[],
    netbootOff: [] as string[],
    unauthorized: [] as string[],
    created: [] as Record<string, string[]>[],
    registeredMacs: new Set<string>(),
    refusedSignalStatuses: new Set<string>(),
  };
  // The webhook sends raw JSON, sometimes without a Content-Type (cloud-init does): take any body.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  app.addHook('onRequest', async (request, reply) => {
    // Anonymous, as in MAAS: images, enlistment's machine creation and the preseed by system_id.
    if (request.url.startsWith('/images/') || request.url.startsWith('/MAAS/api/2.0/machines/'))
      return;
    if (/^\/MAAS\/metadata\/latest\/by-id\/[^/]+\/\?op=get_preseed$/.test(request.url)) return;
    if (!authorized(request, creds, Math.floor(serverNow() / 1000))) {
      state.unauthorized.push(`${request.method} ${request.url}`);
      await reply
        .code(401)
        .header('Date', new Date(serverNow()).toUTCString())
        .send('Authorization Error: Invalid API key.');
    }
  });
  app.get('/images/*', async (request, reply) => {
    const body = state.files.get(request.url);
    if (body === undefined) return reply.code(404).send('not found');
    return reply.type('application/octet-stream').send(body);
  });
  app.get('/MAAS/metadata/*', async (request, reply) => {
    const body = state.files.get(request.url);
    if (body === undefined) return reply.code(404).send('not found');
    return reply.type('application/octet-stream').send(body);
  });
  app.get('/MAAS/api/2.0/machines/', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    if (q.op !== 'is_registered') return reply.code(400).send('Unrecognised signature');
    return reply.send(state.registeredMacs.has(q.mac_address ?? ''));
  });
  app.post('/MAAS/api/2.0/machines/', async (request, reply) => {
    const form: Record<string, string[]> = {};
    for (const [k, v] of new URLSearchParams((request.body as Buffer).toString('utf8')))
      (form[k] ??= []).push(v);
    state.created.push(form);
    return reply.send({
      system_id: 'enl123',
      hostname: 'new-machine',
      status: 0,
      status_name: 'New',
    });
  });
  app.post('/MAAS/metadata/status/:systemId', async (request, reply) => {
    state.events.push(JSON.parse((request.body as Buffer).toString('ascii')) as StatusEvent);
    return reply.code(204).send();
  });
  app.post('/MAAS/metadata/latest/', async (request, reply) => {
    const op = (request.query as Record<string, string | undefined>).op;
    if (op === 'netboot_off') {
      state.netbootOff.push(request.url);
      return reply.type('text/plain').send('OK');
    }
    if (op !== 'signal')
      return reply.code(400).send(`Unrecognised signature: method=POST op=${op ?? ''}`);
    const signal: Signal = { fields: {}, files: {} };
    for await (const part of request.parts()) {
      if (part.type === 'file')
        signal.files[part.fieldname] = (await part.toBuffer()).toString('utf8');
      else signal.fields[part.fieldname] = String(part.value);
    }
    if (state.refusedSignalStatuses.has(signal.fields.status ?? '')) {
      return reply.code(409).send('Machine is not in a state that accepts this signal.');
    }
    state.signals.push(signal);
    return reply.type('text/plain').send('OK');
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    ...state,
    close: () => app.close(),
  };
}
