import type { Kysely } from 'kysely';
import type { FieldSpec } from '../api/index.js';
import type { HandlerDeclaration } from '../api/index.js';
import { deleted, json } from '../api/index.js';
import { nowIso, type Database } from '../db/index.js';
import { badRequest, notFound } from '../domain-errors.js';
import { bumpNetworkVersion, fabricById, fabricJson, vlanJson } from './network-json.js';
import { rowId } from './row-id.js';
import type { VlanRow } from './tables.js';
import { vlanValues } from './vlan-input.js';

const VLAN_FIELDS: FieldSpec[] = [
  { name: 'vid', kind: 'int', doc: 'The VLAN ID (0-4094).' },
  { name: 'name', kind: 'string', doc: 'Name of the VLAN.' },
  { name: 'mtu', kind: 'int', doc: 'The MTU to use on the VLAN.' },
  { name: 'dhcp_on', kind: 'bool', doc: 'Whether or not DHCP should be managed on the VLAN.' },
  { name: 'primary_rack', kind: 'string', doc: 'The primary rack controller managing the VLAN.' },
  { name: 'secondary_rack', kind: 'string', doc: 'The secondary rack controller.' },
];

async function vlanByVid(db: Kysely<Database>, fabricId: number, vidText: string | undefined) {
  const vid = Number(vidText);
  if (vidText === undefined || !/^\d{1,4}$/.test(vidText) || vid > 4094)
    throw notFound('RACK_VLAN_NOT_FOUND', 'VLAN');
  const row = await db
    .selectFrom('vlans')
    .selectAll()
    .where('fabric_id', '=', fabricId)
    .where('vid', '=', vid)
    .executeTakeFirst();
  if (row === undefined) throw notFound('RACK_VLAN_NOT_FOUND', 'VLAN');
  return row;
}

async function vlansOf(db: Kysely<Database>, fabricId: number): Promise<VlanRow[]> {
  return db
    .selectFrom('vlans')
    .selectAll()
    .where('fabric_id', '=', fabricId)
    .orderBy('vid')
    .execute();
}

export const fabricsHandler: HandlerDeclaration = {
  name: 'FabricsHandler',
  doc: 'Manage fabrics.',
  path: 'fabrics/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List fabrics\n\nList all fabrics.',
      run: async ({ region }) => {
        const fabrics = await region.db.selectFrom('fabrics').selectAll().orderBy('id').execute();
        return json(
          await Promise.all(
            fabrics.map(async (f) => fabricJson(f, await vlansOf(region.db, f.id))),
          ),
        );
      },
    },
    {
      method: 'POST',
      op: null,
      admin: true,
      doc: 'Create a fabric\n\nCreate a fabric with an untagged VLAN.',
      fields: [{ name: 'name', kind: 'string', doc: 'Name of the fabric.' }],
      run: async ({ region, input }) =>
        region.db.transaction().execute(async (trx) => {
          const count = await trx.selectFrom('fabrics').select('id').execute();
          const name = input.string('name') ?? `fabric-${count.length}`;
          const clash = await trx
            .selectFrom('fabrics')
            .select('id')
            .where('name', '=', name)
            .executeTakeFirst();
          if (clash !== undefined)
            throw badRequest('RACK_FABRIC_EXISTS', `Fabric ${name} already exists.`);
          const created = nowIso();
          const row = await trx
            .insertInto('fabrics')
            .values({ name, created })
            .returningAll()
            .executeTakeFirstOrThrow();
          await trx
            .insertInto('vlans')
            .values({
              fabric_id: row.id,
              vid: 0,
              name: 'untagged',
              created,
              primary_rack: null,
              secondary_rack: null,
            })
            .execute();
          await bumpNetworkVersion(trx);
          return json(fabricJson(row, await vlansOf(trx, row.id)));
        }),
    },
  ],
};

export const fabricHandler: HandlerDeclaration = {
  name: 'FabricHandler',
  doc: 'Manage a fabric.',
  path: 'fabrics/{id}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Read a fabric\n\nRead a fabric with the given id.',
      run: async ({ region, request }) => {
        const fabric = await fabricById(region.db, rowId(request.params.id, 'Fabric'));
        return json(fabricJson(fabric, await vlansOf(region.db, fabric.id)));
      },
    },
  ],
};

export const vlansHandler: HandlerDeclaration = {
  name: 'VlansHandler',
  doc: 'Manage VLANs on a fabric.',
  path: 'fabrics/{fabric_id}/vlans/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List VLANs\n\nList all VLANs belonging to fabric.',
      run: async ({ region, request }) => {
        const fabric = await fabricById(region.db, rowId(request.params.fabric_id, 'Fabric'));
        return json((await vlansOf(region.db, fabric.id)).map((v) => vlanJson(v, fabric)));
      },
    },
    {
      method: 'POST',
      op: null,
      admin: true,
      doc: 'Create a VLAN\n\nCreates a new VLAN on the fabric.',
      fields: VLAN_FIELDS,
      run: async ({ region, request, input }) =>
        region.db.transaction().execute(async (trx) => {
          const fabric = await fabricById(trx, rowId(request.params.fabric_id, 'Fabric'));
          const values = await vlanValues(trx, fabric.id, input, null);
          const row = await trx
            .insertInto('vlans')
            .values({ ...values, fabric_id: fabric.id, created: nowIso() })
            .returningAll()
            .executeTakeFirstOrThrow();
          await bumpNetworkVersion(trx);
          return json(vlanJson(row, fabric));
        }),
    },
  ],
};

export const vlanHandler: HandlerDeclaration = {
  name: 'VlanHandler',
  doc: 'Manage a VLAN on a fabric.',
  path: 'fabrics/{fabric_id}/vlans/{vid}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Retrieve VLAN\n\nRetrieves a VLAN on a given fabric_id.',
      run: async ({ region, request }) => {
        const fabric = await fabricById(region.db, rowId(request.params.fabric_id, 'Fabric'));
        return json(vlanJson(await vlanByVid(region.db, fabric.id, request.params.vid), fabric));
      },
    },
    {
      method: 'PUT',
      op: null,
      admin: true,
      doc: 'Update VLAN\n\nUpdates a given VLAN (dhcp_on, primary_rack, name, mtu, vid).',
      fields: VLAN_FIELDS,
      run: async ({ region, request, input }) =>
        region.db.transaction().execute(async (trx) => {
          const fabric = await fabricById(trx, rowId(request.params.fabric_id, 'Fabric'));
          const existing = await vlanByVid(trx, fabric.id, request.params.vid);
          const values = await vlanValues(trx, fabric.id, input, existing);
          await trx.updateTable('vlans').set(values).where('id', '=', existing.id).execute();
          await bumpNetworkVersion(trx);
          return json(vlanJson({ ...existing, ...values }, fabric));
        }),
    },
    {
      method: 'DELETE',
      op: null,
      admin: true,
      doc: 'Delete a VLAN\n\nDeletes a VLAN that has no subnets (the untagged VLAN stays).',
      run: async ({ region, request }) =>
        region.db.transaction().execute(async (trx) => {
          const fabric = await fabricById(trx, rowId(request.params.fabric_id, 'Fabric'));
          const existing = await vlanByVid(trx, fabric.id, request.params.vid);
          const used = await trx
            .selectFrom('subnets')
            .select('id')
            .where('vlan_id', '=', existing.id)
            .executeTakeFirst();
          if (existing.vid === 0 || used !== undefined)
            throw badRequest(
              'RACK_VLAN_IN_USE',
              'The untagged VLAN and VLANs with subnets cannot be deleted.',
            );
          await trx.deleteFrom('vlans').where('id', '=', existing.id).execute();
          await bumpNetworkVersion(trx);
          return deleted();
        }),
    },
  ],
};
