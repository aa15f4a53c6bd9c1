import type { Kysely } from 'kysely';
import { API_PREFIX, deleted, json, notFound, validationError } from '../api/index.js';
import type { HandlerDeclaration } from '../api/index.js';
import { nowIso, type Database } from '../db/index.js';
import type { SpaceRow } from './tables.js';

/**
 * MAAS's built-in "undefined" space (id -1): it holds every VLAN and subnet no space claims. Kiln
 * does not attach subnets to spaces yet, so every subnet is listed here.
 */
export const UNDEFINED_SPACE = { id: -1, name: 'undefined', description: '' } as const;

type Db = Kysely<Database>;

async function subnetsJson(db: Db): Promise<Record<string, unknown>[]> {
  const rows = await db
    .selectFrom('subnets')
    .innerJoin('vlans', 'vlans.id', 'subnets.vlan_id')
    .innerJoin('fabrics', 'fabrics.id', 'vlans.fabric_id')
    .select([
      'subnets.id',
      'subnets.name',
      'subnets.cidr',
      'subnets.gateway_ip',
      'subnets.dns_servers',
      'vlans.id as vlan_id',
      'vlans.vid',
      'vlans.mtu',
      'vlans.dhcp_on',
      'fabrics.name as fabric',
    ])
    .orderBy('subnets.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    cidr: r.cidr,
    gateway_ip: r.gateway_ip,
    dns_servers: JSON.parse(r.dns_servers) as string[],
    space: UNDEFINED_SPACE.name,
    vlan: { id: r.vlan_id, vid: r.vid, mtu: r.mtu, fabric: r.fabric, dhcp_on: r.dhcp_on === 1 },
    resource_uri: `${API_PREFIX}subnets/${String(r.id)}/`,
  }));
}

function spaceJson(row: Pick<SpaceRow, 'id' | 'name' | 'description'>, subnets: unknown[]) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    vlans: [],
    subnets,
    resource_uri: `${API_PREFIX}spaces/${String(row.id)}/`,
  };
}

async function spaceByKey(db: Db, key: string): Promise<SpaceRow | typeof UNDEFINED_SPACE> {
  if (key === '-1' || key === UNDEFINED_SPACE.name) return UNDEFINED_SPACE;
  const byId = /^\d{1,9}$/.test(key) ? Number(key) : null;
  const row = await db
    .selectFrom('spaces')
    .selectAll()
    .where((eb) => (byId === null ? eb('name', '=', key) : eb('id', '=', byId)))
    .executeTakeFirst();
  if (row === undefined) throw notFound('SPACE_NOT_FOUND', 'Space');
  return row;
}

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/;

function checkName(name: string): void {
  if (!NAME_RE.test(name) || name === UNDEFINED_SPACE.name)
    throw validationError({
      name: [
        name === UNDEFINED_SPACE.name
          ? `"${name}" is a reserved space name.`
          : 'Enter a valid name: letters, digits and hyphens, at most 63 characters.',
      ],
    });
}

export const spacesHandler: HandlerDeclaration = {
  name: 'SpacesHandler',
  doc: 'Manage spaces.',
  path: 'spaces/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List all spaces\n\nIncludes the built-in "undefined" space, which holds every subnet no space claims.',
      run: async ({ region }) => {
        const rows = await region.db.selectFrom('spaces').selectAll().orderBy('id').execute();
        const subnets = await subnetsJson(region.db);
        return json([spaceJson(UNDEFINED_SPACE, subnets), ...rows.map((r) => spaceJson(r, []))]);
      },
    },
    {
      method: 'POST',
      op: null,
      admin: true,
      doc: 'Create a space',
      fields: [
        { name: 'name', kind: 'string', required: true, doc: 'The name of the new space.' },
        { name: 'description', kind: 'string', doc: 'A description of the new space.' },
      ],
      run: async ({ region, input }) => {
        const name = input.string('name') ?? '';
        checkName(name);
        // A taken name is the database's unique violation, answered 400 {name: [...]}.
        const row = await region.db
          .insertInto('spaces')
          .values({ name, description: input.string('description') ?? '', created: nowIso() })
          .returningAll()
          .executeTakeFirstOrThrow();
        return json(spaceJson(row, []));
      },
    },
  ],
};

export const spaceHandler: HandlerDeclaration = {
  name: 'SpaceHandler',
  doc: 'Manage a space.',
  path: 'spaces/{id}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Read a space\n\nBy id or name.',
      run: async ({ region, request }) => {
        const space = await spaceByKey(region.db, request.params['id'] ?? '');
        return json(spaceJson(space, space.id === -1 ? await subnetsJson(region.db) : []));
      },
    },
    {
      method: 'PUT',
      op: null,
      admin: true,
      doc: 'Update a space',
      fields: [
        { name: 'name', kind: 'string', doc: 'The new name of the space.' },
        { name: 'description', kind: 'string', doc: 'The new description.' },
      ],
      run: async ({ region, request, input }) => {
        const space = await spaceByKey(region.db, request.params['id'] ?? '');
        if (space.id === -1)
          throw validationError({ name: ['The "undefined" space cannot be modified.'] });
        const name = input.string('name') ?? space.name;
        checkName(name);
        await region.db
          .updateTable('spaces')
          .set({ name, description: input.string('description') ?? space.description })
          .where('id', '=', space.id)
          .execute();
        return json(spaceJson(await spaceByKey(region.db, String(space.id)), []));
      },
    },
    {
      method: 'DELETE',
      op: null,
      admin: true,
      doc: 'Delete a space',
      run: async ({ region, request }) => {
        const space = await spaceByKey(region.db, request.params['id'] ?? '');
        if (space.id === -1)
          throw validationError({ name: ['The "undefined" space cannot be deleted.'] });
        await region.db.deleteFrom('spaces').where('id', '=', space.id).execute();
        return deleted();
      },
    },
  ],
};
