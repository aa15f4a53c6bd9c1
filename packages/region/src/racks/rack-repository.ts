import type { Kysely } from 'kysely';
import { z } from 'zod';
import { nowIso, type Database } from '../db/index.js';
import { notFound, validationError } from '../domain-errors.js';
import type { RackRow } from './tables.js';

/** What a rack reports about itself when it registers and with every heartbeat. */
export const RackReportSchema = z.object({
  system_id: z.string().regex(/^[a-z0-9]{6,32}$/, 'expected 6-32 lowercase letters or digits'),
  hostname: z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/, 'expected a host name'),
  architecture: z.string().max(64).default(''),
  version: z.string().max(64).default(''),
  cpu_count: z.number().int().nonnegative().default(0),
  memory: z.number().int().nonnegative().default(0),
  interfaces: z
    .array(
      z.object({
        name: z.string().max(64),
        mac_address: z.string().max(64).nullable().default(null),
        addresses: z.array(z.string().max(64)).max(64),
      }),
    )
    .max(256)
    .default([]),
  services: z.record(z.string(), z.unknown()).default({}),
});
export type RackReport = z.infer<typeof RackReportSchema>;

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
    last_seen: now,
    updated: now,
  };
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('rack_controllers')
      .select('id')
      .where('system_id', '=', report.system_id)
      .executeTakeFirst();
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
