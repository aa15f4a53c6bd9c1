import type { Kysely, SelectQueryBuilder } from 'kysely';
import { NODE_STATUS } from '@kiln/protocol';
import type { Database } from '../../db/index.js';
import type { MachineRow } from '../repository/tables.js';

/** `allocate` constraints Kiln supports (spec §2.11); each narrows the READY candidates. */
export interface AllocationConstraints {
  readonly name?: string | undefined;
  readonly systemId?: string | undefined;
  /** `amd64`, `amd64/generic`, `i386/generic`. */
  readonly arch?: readonly string[] | undefined;
  readonly cpuCount?: number | undefined;
  /** MiB. */
  readonly mem?: number | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly notTags?: readonly string[] | undefined;
  readonly zone?: string | undefined;
  readonly notInZone?: readonly string[] | undefined;
  readonly pool?: string | undefined;
  readonly notInPool?: readonly string[] | undefined;
}

type MachineQuery = SelectQueryBuilder<Database, 'machines', MachineRow>;

function taggedIds(db: Kysely<Database>, tag: string) {
  return db
    .selectFrom('machine_tags')
    .innerJoin('tags', 'tags.id', 'machine_tags.tag_id')
    .select('machine_tags.machine_id')
    .where('tags.name', '=', tag);
}

/** READY, unowned machines matching `c`, oldest first (MAAS picks the first match). */
export function candidatesQuery(db: Kysely<Database>, c: AllocationConstraints): MachineQuery {
  let q = db
    .selectFrom('machines')
    .selectAll('machines')
    .where('status', '=', NODE_STATUS.READY)
    .where('owner', 'is', null);
  if (c.name !== undefined) q = q.where('hostname', '=', c.name.split('.')[0] ?? c.name);
  if (c.systemId !== undefined) q = q.where('system_id', '=', c.systemId);
  if (c.arch !== undefined && c.arch.length > 0) {
    const arches = [...c.arch];
    q = q.where((eb) =>
      eb.or(
        arches.map((a) =>
          a.includes('/') ? eb('architecture', '=', a) : eb('architecture', 'like', `${a}/%`),
        ),
      ),
    );
  }
  if (c.cpuCount !== undefined) q = q.where('cpu_count', '>=', c.cpuCount);
  if (c.mem !== undefined) q = q.where('memory', '>=', c.mem);
  for (const tag of c.tags ?? []) q = q.where('id', 'in', taggedIds(db, tag));
  for (const tag of c.notTags ?? []) q = q.where('id', 'not in', taggedIds(db, tag));
  if (c.zone !== undefined) {
    q = q.where('zone_id', 'in', db.selectFrom('zones').select('id').where('name', '=', c.zone));
  }
  if (c.notInZone !== undefined && c.notInZone.length > 0) {
    const zones = [...c.notInZone];
    q = q.where(
      'zone_id',
      'not in',
      db.selectFrom('zones').select('id').where('name', 'in', zones),
    );
  }
  if (c.pool !== undefined) {
    q = q.where(
      'pool_id',
      'in',
      db.selectFrom('resource_pools').select('id').where('name', '=', c.pool),
    );
  }
  if (c.notInPool !== undefined && c.notInPool.length > 0) {
    const pools = [...c.notInPool];
    q = q.where(
      'pool_id',
      'not in',
      db.selectFrom('resource_pools').select('id').where('name', 'in', pools),
    );
  }
  return q.orderBy('id');
}

/** MAAS's `constraints_by_type` echo and the text of its 409 for unmatched constraints. */
export function describeConstraints(c: AllocationConstraints): string {
  const parts: string[] = [];
  const add = (key: string, value: string | number | readonly string[] | undefined) => {
    if (value === undefined) return;
    if (typeof value === 'object' && value.length === 0) return;
    parts.push(`${key}=${typeof value === 'object' ? value.join(',') : String(value)}`);
  };
  add('name', c.name);
  add('system_id', c.systemId);
  add('arch', c.arch);
  add('cpu_count', c.cpuCount);
  add('mem', c.mem);
  add('tags', c.tags);
  add('not_tags', c.notTags);
  add('zone', c.zone);
  add('not_in_zone', c.notInZone);
  add('pool', c.pool);
  add('not_in_pool', c.notInPool);
  return parts.join(', ');
}
