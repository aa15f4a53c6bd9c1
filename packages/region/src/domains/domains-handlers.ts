import type { Kysely } from 'kysely';
import { API_PREFIX, deleted, json, notFound, validationError } from '../api/index.js';
import type { FieldSpec, HandlerDeclaration } from '../api/index.js';
import { nowIso, type Database } from '../db/index.js';
import type { DomainRow } from './tables.js';

/** MAAS's default domain (id 0): machines and devices are named under it unless told otherwise. */
export const DEFAULT_DOMAIN: DomainRow = {
  id: 0,
  name: 'maas',
  authoritative: 1,
  ttl: null,
  created: '1970-01-01T00:00:00.000Z',
};

type Db = Kysely<Database>;

async function resourceRecordCount(db: Db, name: string): Promise<number> {
  const machines = await db
    .selectFrom('machines')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  const devices = await db
    .selectFrom('devices')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('domain', '=', name)
    .executeTakeFirst();
  return (name === DEFAULT_DOMAIN.name ? Number(machines?.n ?? 0) : 0) + Number(devices?.n ?? 0);
}

async function domainJson(db: Db, row: DomainRow) {
  return {
    id: row.id,
    name: row.name,
    authoritative: row.authoritative === 1,
    ttl: row.ttl,
    is_default: row.id === DEFAULT_DOMAIN.id,
    resource_record_count: await resourceRecordCount(db, row.name),
    resource_uri: `${API_PREFIX}domains/${String(row.id)}/`,
  };
}

export async function domainByKey(db: Db, key: string): Promise<DomainRow> {
  if (key === '0' || key === DEFAULT_DOMAIN.name) return DEFAULT_DOMAIN;
  const id = /^\d{1,9}$/.test(key) ? Number(key) : null;
  const row = await db
    .selectFrom('domains')
    .selectAll()
    .where((eb) => (id === null ? eb('name', '=', key) : eb('id', '=', id)))
    .executeTakeFirst();
  if (row === undefined) throw notFound('DOMAIN_NOT_FOUND', 'Domain');
  return row;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function checkName(name: string): void {
  if (name.length > 253 || !name.split('.').every((label) => LABEL.test(label)))
    throw validationError({ name: [`Invalid domain name: ${name}.`] });
  if (name === DEFAULT_DOMAIN.name)
    throw validationError({ name: ['Domain with this Name already exists.'] });
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'name', kind: 'string', doc: 'Name of the domain.' },
  { name: 'authoritative', kind: 'bool', doc: 'Whether MAAS is authoritative for the domain.' },
  { name: 'ttl', kind: 'int', min: 1, doc: 'The default TTL for the domain.' },
];

export const domainsHandler: HandlerDeclaration = {
  name: 'DomainsHandler',
  doc: 'Manage domains.',
  path: 'domains/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List all domains\n\nThe default domain, maas, comes first.',
      run: async ({ region }) => {
        const rows = await region.db.selectFrom('domains').selectAll().orderBy('id').execute();
        return json(
          await Promise.all([DEFAULT_DOMAIN, ...rows].map((r) => domainJson(region.db, r))),
        );
      },
    },
    {
      method: 'POST',
      op: null,
      admin: true,
      doc: 'Create a domain',
      fields: FIELDS.map((f) => (f.name === 'name' ? { ...f, required: true } : f)),
      run: async ({ region, input }) => {
        const name = input.string('name') ?? '';
        checkName(name);
        const row = await region.db
          .insertInto('domains')
          .values({
            name,
            authoritative: input.bool('authoritative') === false ? 0 : 1,
            ttl: input.int('ttl') ?? null,
            created: nowIso(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return json(await domainJson(region.db, row));
      },
    },
  ],
};

export const domainHandler: HandlerDeclaration = {
  name: 'DomainHandler',
  doc: 'Manage a domain.',
  path: 'domains/{id}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Read a domain\n\nBy id or name.',
      run: async ({ region, request }) =>
        json(await domainJson(region.db, await domainByKey(region.db, request.params['id'] ?? ''))),
    },
    {
      method: 'PUT',
      op: null,
      admin: true,
      doc: 'Update a domain',
      fields: FIELDS,
      run: async ({ region, request, input }) => {
        const row = await domainByKey(region.db, request.params['id'] ?? '');
        if (row.id === DEFAULT_DOMAIN.id)
          throw validationError({ name: ['The default domain cannot be changed.'] });
        const name = input.string('name') ?? row.name;
        if (name !== row.name) checkName(name);
        const authoritative = input.bool('authoritative');
        await region.db
          .updateTable('domains')
          .set({
            name,
            authoritative: authoritative === undefined ? row.authoritative : authoritative ? 1 : 0,
            ttl: input.int('ttl') ?? row.ttl,
          })
          .where('id', '=', row.id)
          .execute();
        return json(await domainJson(region.db, await domainByKey(region.db, String(row.id))));
      },
    },
    {
      method: 'DELETE',
      op: null,
      admin: true,
      doc: 'Delete a domain\n\nThe default domain and domains that still name devices cannot be deleted.',
      run: async ({ region, request }) => {
        const row = await domainByKey(region.db, request.params['id'] ?? '');
        if (row.id === DEFAULT_DOMAIN.id)
          throw validationError({ __all__: ['The default domain cannot be deleted.'] });
        if ((await resourceRecordCount(region.db, row.name)) > 0)
          throw validationError({ __all__: [`Domain ${row.name} still has devices in it.`] });
        await region.db.deleteFrom('domains').where('id', '=', row.id).execute();
        return deleted();
      },
    },
  ],
};
