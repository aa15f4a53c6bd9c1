import { isIP } from 'node:net';
import type { Kysely } from 'kysely';
import { API_PREFIX, deleted, json, notFound, validationError } from '../api/index.js';
import type { ActionContext, HandlerDeclaration, FieldSpec } from '../api/index.js';
import { nowIso, type Database } from '../db/index.js';
import { isRowId } from '../domain-errors.js';
import { subnetJsonById } from '../racks/index.js';
import type { StaticRouteRow } from './tables.js';

type Db = Kysely<Database>;

async function routeJson(db: Db, row: StaticRouteRow) {
  return {
    id: row.id,
    source: await subnetJsonById(db, row.source_id),
    destination: await subnetJsonById(db, row.destination_id),
    gateway_ip: row.gateway_ip,
    metric: row.metric,
    resource_uri: `${API_PREFIX}static-routes/${String(row.id)}/`,
  };
}

/** A subnet named by id or CIDR, as MAAS's SubnetChoiceField takes it. */
async function subnetIdFor(db: Db, field: string, value: string): Promise<number> {
  const id = /^\d{1,10}$/.test(value) ? Number(value) : null;
  const row = await db
    .selectFrom('subnets')
    .select(['id', 'cidr'])
    .where((eb) => (id === null ? eb('cidr', '=', value) : eb('id', '=', id)))
    .executeTakeFirst();
  if (row === undefined)
    throw validationError({ [field]: [`Select a valid choice. ${value} is not a known subnet.`] });
  return row.id;
}

async function routeById(db: Db, key: string): Promise<StaticRouteRow> {
  const id = Number(key);
  const row = isRowId(id)
    ? await db.selectFrom('static_routes').selectAll().where('id', '=', id).executeTakeFirst()
    : undefined;
  if (row === undefined) throw notFound('STATIC_ROUTE_NOT_FOUND', 'StaticRoute');
  return row;
}

async function routeValues(
  { region, input }: ActionContext,
  current: StaticRouteRow | null,
): Promise<{ source_id: number; destination_id: number; gateway_ip: string; metric: number }> {
  const source =
    input.string('source') === undefined
      ? (current?.source_id ?? 0)
      : await subnetIdFor(region.db, 'source', input.string('source') ?? '');
  const destination =
    input.string('destination') === undefined
      ? (current?.destination_id ?? 0)
      : await subnetIdFor(region.db, 'destination', input.string('destination') ?? '');
  const gateway = input.string('gateway_ip') ?? current?.gateway_ip ?? '';
  if (isIP(gateway) === 0)
    throw validationError({ gateway_ip: ['Enter a valid IPv4 or IPv6 address.'] });
  if (source === destination)
    throw validationError({ __all__: ['source and destination cannot be the same subnet.'] });
  const cidr = await region.db
    .selectFrom('subnets')
    .select('cidr')
    .where('id', '=', source)
    .executeTakeFirstOrThrow();
  if (!inSubnet(gateway, cidr.cidr))
    throw validationError({
      gateway_ip: [`gateway_ip must be with in the source subnet ${cidr.cidr}.`],
    });
  return {
    source_id: source,
    destination_id: destination,
    gateway_ip: gateway,
    metric: input.int('metric') ?? current?.metric ?? 0,
  };
}

function inSubnet(ip: string, cidr: string): boolean {
  const [network = '', bits = '0'] = cidr.split('/');
  if (isIP(ip) !== 4 || isIP(network) !== 4) return isIP(ip) === isIP(network);
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(network) / size);
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'source', kind: 'string', doc: 'Source subnet (id or CIDR) of the route.' },
  { name: 'destination', kind: 'string', doc: 'Destination subnet (id or CIDR) of the route.' },
  { name: 'gateway_ip', kind: 'string', doc: 'IP address of the gateway on the source subnet.' },
  { name: 'metric', kind: 'int', min: 0, doc: 'Weight of the route on a deployed machine.' },
];

export const staticRoutesHandler: HandlerDeclaration = {
  name: 'StaticRoutesHandler',
  doc: 'Manage static routes.',
  path: 'static-routes/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List static routes',
      run: async ({ region }) => {
        const rows = await region.db
          .selectFrom('static_routes')
          .selectAll()
          .orderBy('id')
          .execute();
        return json(await Promise.all(rows.map((r) => routeJson(region.db, r))));
      },
    },
    {
      method: 'POST',
      op: null,
      admin: true,
      doc: 'Create a static route',
      fields: FIELDS.map((f) => (f.name === 'metric' ? f : { ...f, required: true })),
      run: async (ctx) => {
        const values = await routeValues(ctx, null);
        const row = await ctx.region.db
          .insertInto('static_routes')
          .values({ ...values, created: nowIso() })
          .returningAll()
          .executeTakeFirstOrThrow();
        return json(await routeJson(ctx.region.db, row));
      },
    },
  ],
};

export const staticRouteHandler: HandlerDeclaration = {
  name: 'StaticRouteHandler',
  doc: 'Manage a static route.',
  path: 'static-routes/{id}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Get a static route',
      run: async ({ region, request }) =>
        json(await routeJson(region.db, await routeById(region.db, request.params['id'] ?? ''))),
    },
    {
      method: 'PUT',
      op: null,
      admin: true,
      doc: 'Update a static route',
      fields: FIELDS,
      run: async (ctx) => {
        const row = await routeById(ctx.region.db, ctx.request.params['id'] ?? '');
        const values = await routeValues(ctx, row);
        await ctx.region.db
          .updateTable('static_routes')
          .set(values)
          .where('id', '=', row.id)
          .execute();
        return json(await routeJson(ctx.region.db, await routeById(ctx.region.db, String(row.id))));
      },
    },
    {
      method: 'DELETE',
      op: null,
      admin: true,
      doc: 'Delete a static route',
      run: async ({ region, request }) => {
        const row = await routeById(region.db, request.params['id'] ?? '');
        await region.db.deleteFrom('static_routes').where('id', '=', row.id).execute();
        return deleted();
      },
    },
  ],
};
