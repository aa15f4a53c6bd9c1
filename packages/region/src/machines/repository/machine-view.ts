import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { BlockDeviceRow, InterfaceRow, MachineRow, NamedRow } from './tables.js';

/** A machine with everything its API representation shows. */
export interface MachineView {
  readonly machine: MachineRow;
  readonly interfaces: readonly InterfaceRow[];
  readonly blockDevices: readonly BlockDeviceRow[];
  readonly tags: readonly string[];
  readonly zone: NamedRow;
  readonly pool: NamedRow;
}

function groupBy<T extends { machine_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) out.set(row.machine_id, [...(out.get(row.machine_id) ?? []), row]);
  return out;
}

/** Loads related rows for many machines in a fixed number of queries (list views stay cheap). */
export async function loadMachineViews(
  db: Kysely<Database>,
  machines: readonly MachineRow[],
): Promise<MachineView[]> {
  if (machines.length === 0) return [];
  const ids = machines.map((m) => m.id);
  const [interfaces, devices, tags, zones, pools] = await Promise.all([
    db.selectFrom('interfaces').selectAll().where('machine_id', 'in', ids).orderBy('id').execute(),
    db
      .selectFrom('block_devices')
      .selectAll()
      .where('machine_id', 'in', ids)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('machine_tags')
      .innerJoin('tags', 'tags.id', 'machine_tags.tag_id')
      .select(['machine_tags.machine_id', 'tags.name'])
      .where('machine_tags.machine_id', 'in', ids)
      .orderBy('tags.name')
      .execute(),
    db.selectFrom('zones').selectAll().execute(),
    db.selectFrom('resource_pools').selectAll().execute(),
  ]);
  const byInterface = groupBy(interfaces);
  const byDevice = groupBy(devices);
  const byTag = groupBy(tags);
  return machines.map((machine) => {
    const zone = zones.find((z) => z.id === machine.zone_id);
    const pool = pools.find((p) => p.id === machine.pool_id);
    if (zone === undefined || pool === undefined)
      throw new Error('machine references a missing zone or pool');
    return {
      machine,
      interfaces: byInterface.get(machine.id) ?? [],
      blockDevices: byDevice.get(machine.id) ?? [],
      tags: (byTag.get(machine.id) ?? []).map((t) => t.name),
      zone,
      pool,
    };
  });
}

export async function loadMachineView(
  db: Kysely<Database>,
  machine: MachineRow,
): Promise<MachineView> {
  const [view] = await loadMachineViews(db, [machine]);
  if (view === undefined) throw new Error('unreachable: one machine in, one view out');
  return view;
}
