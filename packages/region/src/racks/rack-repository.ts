import type { Kysely } from 'kysely';
import { RackReportSchema, type RackReport } from '@kiln/protocol';
import { nowIso, type Database } from '../db/index.js';
import { notFound, validationError } from '../domain-errors.js';
import { noteCacheCorruption } from './cache-corruption.js';
import type { RackRow } from './tables.js';

/** The form field `report` (JSON, shape defined once in protocol), or a 400 naming the bad fields. */
export function parseRackReport(text: string | undefined): RackReport {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? '');
  } catch {
    throw validationError({ report: ['Expected a JSON object describing the rack.'] });
  }
  const result = RackReportSchema.safeParse(raw);
  if (!result.success) {
    throw validationError({
      report: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  }
  return result.data;
}

/** Registration and heartbeat are the same upsert: a rack that lost its row simply re-appears. */
export async function upsertRack(db: Kysely<Database>, report: RackReport): Promise<RackRow> {
  const now = nowIso();
  const values = {
    hostname: report.hostname,
    architecture: report.architecture,
    version: report.version,
    cpu_count: report.cpu_count,
    memory: report.memory,
    interfaces: JSON.stringify(report.interfaces),
    services: JSON.stringify(report.services),
    // A rack that stopped reporting its cache (older agent) keeps no stale figures.
    cache_stats: report.cache === undefined ? null : JSON.stringify(report.cache),
    last_seen: now,
    updated: now,
  };
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('rack_controllers')
      .select(['id', 'cache_stats'])
      .where('system_id', '=', report.system_id)
      .executeTakeFirst();
    await noteCacheCorruption(trx, report, existing?.cache_stats ?? null);
    if (existing === undefined) {
      await trx
        .insertInto('rack_controllers')
        .values({ ...values, system_id: report.system_id, created: now })
        .onConflict((oc) => oc.column('system_id').doUpdateSet(values))
        .execute();
    } else {
      await trx.updateTable('rack_controllers').set(values).where('id', '=', existing.id).execute();
    }
    return trx
      .selectFrom('rack_controllers')
      .selectAll()
      .where('system_id', '=', report.system_id)
      .executeTakeFirstOrThrow();
  });
}

export async function rackBySystemId(db: Kysely<Database>, systemId: string): Promise<RackRow> {
  const row = await db
    .selectFrom('rack_controllers')
    .selectAll()
    .where('system_id', '=', systemId)
    .executeTakeFirst();
  if (row === undefined) throw notFound('RACK_NOT_FOUND', 'RackController');
  return row;
}

export async function listRacks(db: Kysely<Database>): Promise<RackRow[]> {
  return db.selectFrom('rack_controllers').selectAll().orderBy('hostname').execute();
}
