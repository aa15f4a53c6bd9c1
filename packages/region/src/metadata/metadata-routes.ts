import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@kiln/node-kit';
import { readForm } from '../api/read-body.js';
import { recordEvent } from '../events/index.js';
import type { RegionContext } from '../region-context.js';
import { findMachine, updateMachine } from '../machines/repository/machines-repository.js';
import type { MachineRow } from '../machines/repository/tables.js';
import { authenticateNode, ensureNodeToken } from '../machines/tokens/node-tokens.js';
import { renderEnlistUserData } from '../machines/ephemeral-assets/index.js';
import { userPublicKeys } from '../ssh-keys/index.js';
import { ENLIST_META_DATA, META_DATA_KEYS, metaDataValue } from './meta-data.js';
import { renderEnlistPreseed, renderNodePreseed, wantsPreseed } from './preseed.js';
import { handleSignal } from './signal.js';
import { handleStatusEvent } from './status-webhook.js';
import { scriptsBundleFor, serveInstallConfig, serveUserData, type Served } from './user-data.js';

/** A form-urlencoded body that also remembers its bytes (see the status webhook). */
class RawFormBody extends URLSearchParams {
  readonly raw: Buffer;

  constructor(raw: Buffer) {
    super(raw.toString('latin1'));
    this.raw = raw;
  }
}

export const METADATA_VERSIONS = ['latest', '2012-03-01'] as const;
const TEXT = 'text/plain; charset=utf-8';

const ok = (body: string | Buffer, type = TEXT): Served => ({ status: 200, type, body });
const unknownVersion = () => new AppError('METADATA_UNKNOWN_VERSION', 'Unknown metadata version');
const unknownPath = (path: string) =>
  new AppError('METADATA_NOT_FOUND', `Unknown metadata path: ${path}`);

interface Call {
  readonly region: RegionContext;
  readonly request: FastifyRequest;
  readonly base: string;
  readonly segments: readonly string[];
  readonly op: string | null;
}

const node = (call: Call): Promise<MachineRow> =>
  authenticateNode(
    call.region.db,
    call.request.headers.authorization,
    Math.floor(Date.now() / 1000),
  );

async function netboot(call: Call, machine: MachineRow, on: boolean): Promise<Served> {
  await updateMachine(call.region.db, machine.id, { netboot: on ? 1 : 0 });
  await recordEvent(call.region.db, {
    type: on ? 'Netboot on' : 'Netboot off',
    description: on
      ? 'The machine boots from the network again'
      : 'The installer finished: the machine boots from its disk',
    nodeSystemId: machine.system_id,
    nodeHostname: machine.hostname,
  });
  return ok('OK');
}

async function versioned(call: Call, rest: readonly string[], curtin: boolean): Promise<Served> {
  const [head, key] = rest;
  const post = call.request.method === 'POST';
  if (head === undefined) {
    const machine = await node(call);
    if (!post)
      return ok(
        ['meta-data', 'maas-scripts', ...(machine.user_data === null ? [] : ['user-data'])].join(
          '\n',
        ) + '\n',
      );
    const { form, op } = await readForm(call.request);
    if (op === 'signal') return ok(await handleSignal(call.region, machine, form));
    if (op === 'netboot_off' || op === 'netboot_on')
      return netboot(call, machine, op === 'netboot_on');
    throw new AppError('METADATA_OP_UNKNOWN', `Unrecognised signature: method=POST op=${op ?? ''}`);
  }
  if (head === 'meta-data') {
    const machine = await node(call);
    const publicKeys =
      machine.owner === null ? [] : await userPublicKeys(call.region.db, machine.owner);
    if (key === undefined) {
      // Listed only when the owner has keys, as MAAS does.
      const keys = META_DATA_KEYS.filter((k) => k !== 'public-keys' || publicKeys.length > 0);
      return ok(`${keys.join('\n')}\n`);
    }
    const value = metaDataValue(machine, key, publicKeys);
    if (value === undefined) throw unknownPath(`meta-data/${key}`);
    return ok(value.body, value.type);
  }
  if (head === 'user-data') return serveUserData(call.region, await node(call), call.base, curtin);
  if (head === 'maas-scripts' || head === 'maas-commissioning-scripts') {
    return ok((await scriptsBundleFor(await node(call))).tar, 'application/x-tar');
  }
  if (head === 'install-config')
    return serveInstallConfig(call.region, await node(call), call.base);
  if (head === 'by-id' && key !== undefined) return byId(call, key);
  if (head === 'enlist-preseed') {
    if (call.op !== 'get_enlist_preseed') throw unknownPath('enlist-preseed');
    return ok(renderEnlistPreseed(call.base));
  }
  throw unknownPath(rest.join('/'));
}

/** Anonymous, as in MAAS; Kiln only hands out credentials while the machine is booting. */
async function byId(call: Call, systemId: string): Promise<Served> {
  const machine = await findMachine(call.region.db, systemId);
  if (machine === undefined)
    throw new AppError('METADATA_NO_NODE', `No node with system_id ${systemId}.`);
  if (call.request.method === 'POST') {
    const { op } = await readForm(call.request);
    if (op !== 'netboot_off')
      throw new AppError(
        'METADATA_OP_UNKNOWN',
        `Unrecognised signature: method=POST op=${op ?? ''}`,
      );
    return netboot(call, machine, false);
  }
  if (call.op !== 'get_preseed') throw unknownPath(`by-id/${systemId}`);
  // Anonymous as in MAAS, but a machine signing in as itself may not read another's preseed.
  const header = call.request.headers.authorization;
  if (header !== undefined && header !== '') {
    const caller = await node(call);
    if (caller.id !== machine.id) {
      throw new AppError('METADATA_WRONG_NODE', 'Not authenticated as this node.');
    }
  }
  if (!wantsPreseed(machine)) {
    throw new AppError(
      'METADATA_PRESEED_UNAVAILABLE',
      `Machine ${systemId} is not booting an environment that needs a preseed.`,
    );
  }
  return ok(
    renderNodePreseed(machine, call.base, await ensureNodeToken(call.region.db, machine.id)),
  );
}

async function enlist(call: Call, rest: readonly string[]): Promise<Served> {
  const [version, head, key] = rest;
  if (version === undefined) return ok(`${METADATA_VERSIONS.join('\n')}\n`);
  if (!(METADATA_VERSIONS as readonly string[]).includes(version)) throw unknownVersion();
  if (head === undefined) return ok('meta-data\nuser-data\n');
  if (head === 'meta-data') {
    if (key === undefined) return ok(`${Object.keys(ENLIST_META_DATA).join('\n')}\n`);
    const value = ENLIST_META_DATA[key];
    if (value === undefined) throw unknownPath(`enlist/meta-data/${key}`);
    return ok(value);
  }
  if (head === 'user-data')
    return ok(await renderEnlistUserData({ maasUrl: `${call.base}/MAAS/` }));
  throw unknownPath(`enlist/${rest.join('/')}`);
}

async function dispatch(call: Call): Promise<Served | null> {
  const [first, ...rest] = call.segments;
  if (first === undefined) {
    await node(call);
    return ok(`${METADATA_VERSIONS.join('\n')}\n`);
  }
  if (first === 'status' && rest.length === 1 && call.request.method === 'POST') {
    const machine = await node(call);
    if (machine.system_id !== rest[0]) {
      throw new AppError('METADATA_WRONG_NODE', 'Not authenticated as this node.');
    }
    const body = call.request.body;
    const raw = Buffer.isBuffer(body)
      ? body
      : body instanceof RawFormBody
        ? body.raw
        : Buffer.alloc(0);
    await handleStatusEvent(call.region, machine, raw);
    return null;
  }
  if (first === 'enlist') return await enlist(call, rest);
  const curtin = first === 'curtin';
  const [version, ...tail] = curtin ? rest : call.segments;
  if (version === undefined) {
    await node(call);
    return ok(`${METADATA_VERSIONS.join('\n')}\n`);
  }
  if (!(METADATA_VERSIONS as readonly string[]).includes(version)) throw unknownVersion();
  return versioned(call, tail, curtin);
}

/** The metadata server (spec §6) under /MAAS/metadata/, in its own fastify scope. */
export async function registerMetadataRoutes(
  app: FastifyInstance,
  region: RegionContext,
): Promise<void> {
  await app.register((scope, _options, registered) => {
    // The status webhook must see the raw bytes (ASCII check, exact JSON errors).
    scope.removeContentTypeParser('application/json');
    // `curl --data-binary` and other simple clients label a JSON status body as a form; keep the
    // raw bytes for the status webhook while still offering the parsed form to readForm().
    scope.removeContentTypeParser('application/x-www-form-urlencoded');
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'buffer' },
      (_req, body, done) => {
        done(null, new RawFormBody(body as Buffer));
      },
    );
    scope.addContentTypeParser(
      ['application/json', '*'],
      { parseAs: 'buffer' },
      (_req, body, done) => {
        done(null, body);
      },
    );
    // Errors reach the app's error handler.
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const url = new URL(request.url, 'http://localhost');
      const path = url.pathname.replace(/^\/+MAAS\/+metadata/, '');
      const call: Call = {
        region,
        request,
        base: `${request.protocol}://${request.headers.host ?? request.hostname}`,
        segments: path.split('/').filter((s) => s !== ''),
        op: url.searchParams.get('op'),
      };
      const served = await dispatch(call);
      if (served === null) return await reply.code(204).send();
      return await reply.code(served.status).type(served.type).send(served.body);
    };
    scope.route({ method: ['GET', 'POST'], url: '/MAAS/metadata', handler });
    scope.route({ method: ['GET', 'POST'], url: '/MAAS/metadata/*', handler });
    registered();
  });
}
