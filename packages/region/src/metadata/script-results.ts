import type { Kysely } from 'kysely';
import { NODE_STATUS as S } from '@kiln/protocol';
import { nowIso, type Database } from '../db/index.js';
import type { MachineRow } from '../machines/index.js';

/** Which result set output belongs to, from the machine's status when it arrives. */
export function resultTypeFor(status: number): string {
  if (status === S.DEPLOYING) return 'installation';
  if (status === S.DISK_ERASING || status === S.RELEASING) return 'release';
  if (status === S.TESTING) return 'testing';
  return 'commissioning';
}

export interface ScriptOutput {
  readonly name: string;
  readonly data: Buffer;
  readonly status: string;
  readonly exitStatus?: number | null | undefined;
  readonly runtime?: string | null | undefined;
}

/** Output is kept (never overwritten) so a failed run can be read after the machine moved on. */
export async function storeScriptOutputs(
  db: Kysely<Database>,
  machine: MachineRow,
  outputs: readonly ScriptOutput[],
): Promise<void> {
  for (const out of outputs) {
    await db
      .insertInto('script_results')
      .values({
        machine_id: machine.id,
        result_type: resultTypeFor(machine.status),
        name: out.name,
        status: out.status,
        exit_status: out.exitStatus ?? null,
        runtime: out.runtime ?? null,
        output: out.data,
        created: nowIso(),
      })
      .execute();
  }
}

/** The newest output of each `<script>.out` of this commissioning run (since `since`). */
export async function latestCommissioningStdout(
  db: Kysely<Database>,
  machine: MachineRow,
  since: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('script_results')
    .select(['name', 'output', 'id'])
    .where('machine_id', '=', machine.id)
    .where('result_type', '=', 'commissioning')
    .where('created', '>=', since)
    .orderBy('id')
    .execute();
  const latest = new Map<string, Buffer>();
  for (const row of rows)
    if (row.name.endsWith('.out')) latest.set(row.name, Buffer.from(row.output));
  return [...latest.values()].map((b) => b.toString('utf8'));
}
