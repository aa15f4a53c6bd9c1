import type { Kysely, Updateable } from 'kysely';
import { AppError } from '@kiln/node-kit';
import { parseNodeStatus, type NodeStatus } from '@kiln/protocol';
import { nowIso, type Database } from '../../db/index.js';
import { notFound, validationError } from '../../domain-errors.js';
import type { MachineRow, MachinesTable } from './tables.js';

export type MachinePatch = Updateable<MachinesTable>;

export async function findMachine(
  db: Kysely<Database>,
  systemId: string,
): Promise<MachineRow | undefined> {
  return db.selectFrom('machines').selectAll().where('system_id', '=', systemId).executeTakeFirst();
}

/** MAAS's Http404 for machines: `No Machine matches the given query.` */
export async function getMachine(db: Kysely<Database>, systemId: string): Promise<MachineRow> {
  const row = await findMachine(db, systemId);
  if (row === undefined) throw notFound('MACHINE_NOT_FOUND', 'Machine');
  return row;
}

export async function updateMachine(
  db: Kysely<Database>,
  id: number,
  patch: MachinePatch,
): Promise<MachineRow> {
  return db
    .updateTable('machines')
    .set({ ...patch, updated: nowIso() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface MachineFilters {
  readonly hostnames?: readonly string[] | undefined;
  readonly systemIds?: readonly string[] | undefined;
  readonly macs?: readonly string[] | undefined;
  readonly statuses?: readonly string[] | undefined;
  readonly zones?: readonly string[] | undefined;
  readonly pools?: readonly string[] | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly owner?: string | undefined;
  readonly agentName?: string | undefined;
}

/** Status filters as MAAS takes them: names (`ready`, `deployed`) or numeric codes. */
export function parseStatusFilter(values: readonly string[]): NodeStatus[] {
  return values.map((value) => {
    const key = value.trim().toUpperCase().replace(/[\s-]/g, '_');
    const status = parseNodeStatus(/^\d+$/.test(key) ? Number(key) : key);
    if (status === undefined) {
      throw validationError({ status: [`'${value}' is not a valid machine status.`] });
    }
    return status;
  });
}

/** The machines matching MAAS's filters, not yet selected: every given filter must match (tags: all of them). */
export function filteredMachines(db: Kysely<Database>, filters: MachineFilters = {}) {
  let q = db.selectFrom('machines');
  if (filters.hostnames?.length) q = q.where('hostname', 'in', [...filters.hostnames]);
  if (filters.systemIds?.length) q = q.where('system_id', 'in', [...filters.systemIds]);
  if (filters.owner !== undefined) q = q.where('owner', '=', filters.owner);
  if (filters.agentName !== undefined) q = q.where('agent_name', '=', filters.agentName);
  if (filters.statuses?.length) q = q.where('status', 'in', parseStatusFilter(filters.statuses));
  if (filters.macs?.length) {
    const macs = [...filters.macs];
    q = q.where(
      'id',
      'in',
      db.selectFrom('interfaces').select('machine_id').where('mac_address', 'in', macs),
    );
  }
  if (filters.zones?.length) {
    const zones = [...filters.zones];
    q = q.where('zone_id', 'in', db.selectFrom('zones').select('id').where('name', 'in', zones));
  }
  if (filters.pools?.length) {
    const pools = [...filters.pools];
    q = q.where(
      'pool_id',
      'in',
      db.selectFrom('resource_pools').select('id').where('name', 'in', pools),
    );
  }
  for (const tag of filters.tags ?? []) {
    q = q.where(
      'id',
      'in',
      db
        .selectFrom('machine_tags')
        .innerJoin('tags', 'tags.id', 'machine_tags.tag_id')
        .select('machine_tags.machine_id')
        .where('tags.name', '=', tag),
    );
  }
  return q;
}

/** The collection read with MAAS's filters. */
export async function listMachines(
  db: Kysely<Database>,
  filters: MachineFilters = {},
): Promise<MachineRow[]> {
  return filteredMachines(db, filters).selectAll('machines').orderBy('machines.id').execute();
}

export async function machineByMac(
  db: Kysely<Database>,
  mac: string,
): Promise<MachineRow | undefined> {
  return db
    .selectFrom('machines')
    .innerJoin('interfaces', 'interfaces.machine_id', 'machines.id')
    .selectAll('machines')
    .where('interfaces.mac_address', '=', mac)
    .executeTakeFirst();
}

/** Resolves a zone or pool by name, 400 naming the field when it does not exist. */
export async function namedId(
  db: Kysely<Database>,
  table: 'zones' | 'resource_pools',
  field: string,
  name: string,
): Promise<number> {
  const row = await db.selectFrom(table).select('id').where('name', '=', name).executeTakeFirst();
  if (row === undefined) {
    throw validationError({
      [field]: [`Select a valid choice. ${name} is not one of the available choices.`],
    });
  }
  return row.id;
}

export function machineLocked(machine: MachineRow): AppError {
  return new AppError(
    'MACHINE_LOCKED',
    `Cannot change a locked machine (${machine.system_id}); unlock it first.`,
    {
      details: { systemId: machine.system_id },
    },
  );
}
