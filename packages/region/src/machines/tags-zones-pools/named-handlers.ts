import type { ErrorCode } from '@kiln/protocol';
import type { HandlerDeclaration } from '../../api/handler-types.js';
import { API_PREFIX } from '../../api/handler-types.js';
import { deleted, json } from '../../api/responses.js';
import { nowIso } from '../../db/index.js';
import { notFound, validationError } from '../../domain-errors.js';
import type { NamedRow } from '../repository/tables.js';

interface NamedKind {
  readonly table: 'zones' | 'resource_pools';
  readonly model: string;
  readonly collection: string;
  readonly element: string;
  readonly path: string;
  readonly elementPath: string;
  /** Elements are addressed by name (zones) or id (resource pools), as in MAAS. */
  readonly key: 'name' | 'id';
  readonly notFoundCode: ErrorCode;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,255}$/;

function rowJson(kind: NamedKind, row: NamedRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    resource_uri: `${API_PREFIX}${kind.elementPath.replace(`{${kind.key}}`, String(row[kind.key]))}`,
  };
}

function namedHandlers(kind: NamedKind): HandlerDeclaration[] {
  const fields = (required: boolean) => [
    { name: 'name', kind: 'string' as const, required, doc: `The name of the ${kind.model}.` },
    { name: 'description', kind: 'string' as const, doc: `A description of the ${kind.model}.` },
  ];
  const find = async (
    db: Parameters<HandlerDeclaration['actions'][number]['run']>[0]['region']['db'],
    key: string,
  ) => {
    const q = db.selectFrom(kind.table).selectAll();
    const row = await (
      kind.key === 'id' ? q.where('id', '=', Number(key) || -1) : q.where('name', '=', key)
    ).executeTakeFirst();
    if (row === undefined) throw notFound(kind.notFoundCode, kind.model);
    return row;
  };
  const checkName = (name: string) => {
    if (!NAME.test(name)) throw validationError({ name: [`'${name}' is not a valid name.`] });
  };
  return [
    {
      name: kind.collection,
      doc: `Manage ${kind.model}s.`,
      path: kind.path,
      access: 'auth',
      actions: [
        {
          method: 'GET',
          op: null,
          doc: `List ${kind.model}s`,
          run: async ({ region }) =>
            json(
              (await region.db.selectFrom(kind.table).selectAll().orderBy('id').execute()).map(
                (r) => rowJson(kind, r),
              ),
            ),
        },
        {
          method: 'POST',
          op: null,
          admin: true,
          doc: `Create a ${kind.model}`,
          fields: fields(true),
          run: async ({ input, region }) => {
            const name = input.string('name') ?? '';
            checkName(name);
            const taken = await region.db
              .selectFrom(kind.table)
              .select('id')
              .where('name', '=', name)
              .executeTakeFirst();
            if (taken !== undefined)
              throw validationError({ name: [`${kind.model} with this Name already exists.`] });
            const now = nowIso();
            const row = await region.db
              .insertInto(kind.table)
              .values({
                name,
                description: input.string('description') ?? '',
                created: now,
                updated: now,
              })
              .returningAll()
              .executeTakeFirstOrThrow();
            return json(rowJson(kind, row));
          },
        },
      ],
    },
    {
      name: kind.element,
      doc: `Manage a ${kind.model}.`,
      path: kind.elementPath,
      access: 'auth',
      actions: [
        {
          method: 'GET',
          op: null,
          doc: `Read a ${kind.model}`,
          run: async ({ request, region }) =>
            json(rowJson(kind, await find(region.db, request.params[kind.key] ?? ''))),
        },
        {
          method: 'PUT',
          op: null,
          admin: true,
          doc: `Update a ${kind.model}`,
          fields: fields(false),
          run: async ({ request, input, region }) => {
            const row = await find(region.db, request.params[kind.key] ?? '');
            const name = input.string('name');
            if (name !== undefined) checkName(name);
            const updated = await region.db
              .updateTable(kind.table)
              .set({
                name: name ?? row.name,
                description: input.string('description') ?? row.description,
                updated: nowIso(),
              })
              .where('id', '=', row.id)
              .returningAll()
              .executeTakeFirstOrThrow();
            return json(rowJson(kind, updated));
          },
        },
        {
          method: 'DELETE',
          op: null,
          admin: true,
          doc: `Delete a ${kind.model}`,
          run: async ({ request, region }) => {
            const row = await find(region.db, request.params[kind.key] ?? '');
            if (row.name === 'default') {
              throw validationError({ name: [`The default ${kind.model} cannot be deleted.`] });
            }
            const column = kind.table === 'zones' ? 'zone_id' : 'pool_id';
            const used = await region.db
              .selectFrom('machines')
              .select('id')
              .where(column, '=', row.id)
              .executeTakeFirst();
            if (used !== undefined)
              throw validationError({ name: [`The ${kind.model} is in use by machines.`] });
            await region.db.deleteFrom(kind.table).where('id', '=', row.id).execute();
            return deleted();
          },
        },
      ],
    },
  ];
}

export const ZONE_HANDLERS = namedHandlers({
  table: 'zones',
  model: 'Zone',
  collection: 'ZonesHandler',
  element: 'ZoneHandler',
  path: 'zones/',
  elementPath: 'zones/{name}/',
  key: 'name',
  notFoundCode: 'MACHINE_ZONES_NOT_FOUND',
});

export const POOL_HANDLERS = namedHandlers({
  table: 'resource_pools',
  model: 'ResourcePool',
  collection: 'ResourcePoolsHandler',
  element: 'ResourcePoolHandler',
  path: 'resourcepools/',
  elementPath: 'resourcepool/{id}/',
  key: 'id',
  notFoundCode: 'MACHINE_RESOURCE_POOLS_NOT_FOUND',
});
