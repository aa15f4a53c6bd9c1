import type { Kysely } from 'kysely';
import type { FieldSpec } from '../api/index.js';
import type { HandlerDeclaration } from '../api/index.js';
import { deleted, json } from '../api/index.js';
import { nowIso, type Database } from '../db/index.js';
import { notFound } from '../domain-errors.js';
import { IP_RANGE_TYPE_CHOICES, ipRangeValues } from './iprange-input.js';
import { bumpNetworkVersion, ipRangeJson, subnetJsonById } from './network-json.js';
import { rowId } from './row-id.js';
import type { IpRangeRow } from './tables.js';

function rangeFields(required: boolean): FieldSpec[] {
  return [
    {
      name: 'type',
      kind: 'string',
      required,
      choices: IP_RANGE_TYPE_CHOICES,
      doc: 'Type of this range (dynamic or reserved).',
    },
    {
      name: 'start_ip',
      kind: 'string',
      required,
      doc: 'Start IP address of this range (inclusive).',
    },
    { name: 'end_ip', kind: 'string', required, doc: 'End IP address of this range (inclusive).' },
    {
      name: 'subnet',
      kind: 'int',
      doc: 'Subnet id of this range (default: the subnet holding start_ip).',
    },
    { name: 'comment', kind: 'string', doc: 'A description of this range.' },
  ];
}

async function rangeById(db: Kysely<Database>, text: string | undefined): Promise<IpRangeRow> {
  const row = await db
    .selectFrom('ipranges')
    .selectAll()
    .where('id', '=', rowId(text, 'IPRange'))
    .executeTakeFirst();
  if (row === undefined) throw notFound('RACK_IPRANGE_NOT_FOUND', 'IPRange');
  return row;
}

async function rangeJson(db: Kysely<Database>, row: IpRangeRow) {
  return ipRangeJson(row, await subnetJsonById(db, row.subnet_id));
}

export const ipRangesHandler: HandlerDeclaration = {
  name: 'IPRangesHandler',
  doc: 'Manage IP ranges.',
  path: 'ipranges/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List all IP ranges\n\nList all available IP ranges.',
      run: async ({ region }) => {
        const rows = await region.db.selectFrom('ipranges').selectAll().orderBy('id').execute();
        return json(await Promise.all(rows.map((row) => rangeJson(region.db, row))));
      },
    },
    {
      method: 'POST',
      op: null,
      admin: true,
      doc: 'Create an IP range\n\nCreate a new IP range.',
      fields: rangeFields(true),
      run: async ({ region, input }) =>
        region.db.transaction().execute(async (trx) => {
          const values = await ipRangeValues(trx, input, null);
          const row = await trx
            .insertInto('ipranges')
            .values({ ...values, created: nowIso() })
            .returningAll()
            .executeTakeFirstOrThrow();
          await bumpNetworkVersion(trx);
          return json(await rangeJson(trx, row));
        }),
    },
  ],
};

export const ipRangeHandler: HandlerDeclaration = {
  name: 'IPRangeHandler',
  doc: 'Manage an IP range.',
  path: 'ipranges/{id}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Read an IP range\n\nRead an IP range with the given id.',
      run: async ({ region, request }) =>
        json(await rangeJson(region.db, await rangeById(region.db, request.params.id))),
    },
    {
      method: 'PUT',
      op: null,
      admin: true,
      doc: 'Update an IP range\n\nUpdate an IP range with the given id.',
      fields: rangeFields(false),
      run: async ({ region, request, input }) =>
        region.db.transaction().execute(async (trx) => {
          const existing = await rangeById(trx, request.params.id);
          const values = await ipRangeValues(trx, input, existing);
          await trx.updateTable('ipranges').set(values).where('id', '=', existing.id).execute();
          await bumpNetworkVersion(trx);
          return json(await rangeJson(trx, { ...existing, ...values }));
        }),
    },
    {
      method: 'DELETE',
      op: null,
      admin: true,
      doc: 'Delete an IP range\n\nDelete an IP range with the given id.',
      run: async ({ region, request }) =>
        region.db.transaction().execute(async (trx) => {
          const existing = await rangeById(trx, request.params.id);
          await trx.deleteFrom('ipranges').where('id', '=', existing.id).execute();
          await bumpNetworkVersion(trx);
          return deleted();
        }),
    },
  ],
};
