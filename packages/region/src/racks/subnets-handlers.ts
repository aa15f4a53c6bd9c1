import type { HandlerDeclaration } from '../api/index.js';
import type { FieldSpec } from '../api/index.js';
import { deleted, json } from '../api/index.js';
import { nowIso } from '../db/index.js';
import { bumpNetworkVersion, subnetById, subnetJson, subnetJsonById } from './network-json.js';
import { rowId } from './row-id.js';
import { subnetValues } from './subnet-input.js';

function subnetFields(required: boolean): FieldSpec[] {
  return [
    { name: 'cidr', kind: 'string', required, doc: 'The network CIDR for this subnet.' },
    { name: 'name', kind: 'string', doc: 'Name of the subnet (default: its CIDR).' },
    { name: 'gateway_ip', kind: 'string', doc: 'The gateway IP address for this subnet.' },
    { name: 'dns_servers', kind: 'list', doc: 'DNS servers for this subnet.' },
    { name: 'vlan', kind: 'int', doc: 'VLAN id this subnet belongs to.' },
    { name: 'fabric', kind: 'int', doc: 'Fabric id for the VLAN (with vid), default fabric-0.' },
    { name: 'vid', kind: 'int', doc: 'VID of the VLAN on the fabric, default 0 (untagged).' },
  ];
}

export const subnetsHandler: HandlerDeclaration = {
  name: 'SubnetsHandler',
  doc: 'Manage subnets.',
  path: 'subnets/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List all subnets\n\nGet a list of all subnets.',
      run: async ({ region }) => {
        const rows = await region.db.selectFrom('subnets').select('id').orderBy('id').execute();
        return json(await Promise.all(rows.map((row) => subnetJsonById(region.db, row.id))));
      },
    },
    {
      method: 'POST',
      op: null,
      admin: true,
      doc: 'Create a subnet\n\nCreates a new subnet.',
      fields: subnetFields(true),
      run: async ({ region, input }) =>
        region.db.transaction().execute(async (trx) => {
          const values = await subnetValues(trx, input, null);
          const row = await trx
            .insertInto('subnets')
            .values({ ...values, created: nowIso() })
            .returning('id')
            .executeTakeFirstOrThrow();
          await bumpNetworkVersion(trx);
          return json(await subnetJsonById(trx, row.id));
        }),
    },
  ],
};

export const subnetHandler: HandlerDeclaration = {
  name: 'SubnetHandler',
  doc: 'Manage a subnet.',
  path: 'subnets/{id}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Get a subnet\n\nGet information about a subnet with the given ID.',
      run: async ({ region, request }) =>
        json(await subnetJsonById(region.db, rowId(request.params.id, 'Subnet'))),
    },
    {
      method: 'PUT',
      op: null,
      admin: true,
      doc: 'Update a subnet\n\nUpdate a subnet with the given ID.',
      fields: subnetFields(false),
      run: async ({ region, request, input }) =>
        region.db.transaction().execute(async (trx) => {
          const existing = await subnetById(trx, rowId(request.params.id, 'Subnet'));
          const values = await subnetValues(trx, input, existing);
          await trx.updateTable('subnets').set(values).where('id', '=', existing.id).execute();
          await bumpNetworkVersion(trx);
          return json(await subnetJsonById(trx, existing.id));
        }),
    },
    {
      method: 'DELETE',
      op: null,
      admin: true,
      doc: 'Delete a subnet\n\nDelete a subnet with the given ID (and its IP ranges).',
      run: async ({ region, request }) =>
        region.db.transaction().execute(async (trx) => {
          const existing = await subnetById(trx, rowId(request.params.id, 'Subnet'));
          await trx.deleteFrom('ipranges').where('subnet_id', '=', existing.id).execute();
          await trx.deleteFrom('dhcp_reservations').where('subnet_id', '=', existing.id).execute();
          await trx.deleteFrom('subnets').where('id', '=', existing.id).execute();
          await bumpNetworkVersion(trx);
          return deleted();
        }),
    },
  ],
};

export { subnetJson };
