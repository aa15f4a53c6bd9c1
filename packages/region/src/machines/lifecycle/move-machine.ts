import type { Kysely } from 'kysely';
import { AppError } from '@kiln/node-kit';
import {
  NODE_STATUS as S,
  assertTransition,
  nodeStatusName,
  statusExpiresAt,
  type NodeStatus,
} from '@kiln/protocol';
import type { Database } from '../../db/index.js';
import type { EventLevelName } from '../../events/index.js';
import { recordEvent } from '../../events/index.js';
import { getConfigValue } from '../../maas-config/index.js';
import type { RegionContext } from '../../region-context.js';
import { machineStatus } from '../repository/machine-json.js';
import { updateMachine, type MachinePatch } from '../repository/machines-repository.js';
import type { MachineRow } from '../repository/tables.js';
import { machineServices } from '../services.js';

export interface MoveOptions {
  /** Statuses in order; each must be a legal step from the one before (protocol's table). */
  readonly path: readonly NodeStatus[];
  readonly patch?: MachinePatch;
  readonly event?: {
    readonly type: string;
    readonly description?: string;
    readonly level?: EventLevelName;
  };
  readonly username?: string | null;
}

// Inside rescue mode (entering → rescue → exiting, and their failures) `previous_status` stays the
// status the machine had before, because exiting returns it there; the sweeper's timeouts and
// the power failures move between these statuses too.
const RESCUE_FAMILY: readonly NodeStatus[] = [
  S.ENTERING_RESCUE_MODE,
  S.FAILED_ENTERING_RESCUE_MODE,
  S.RESCUE_MODE,
  S.EXITING_RESCUE_MODE,
  S.FAILED_EXITING_RESCUE_MODE,
];
const keepsPreviousStatus = (from: NodeStatus, to: NodeStatus) =>
  to === from || (RESCUE_FAMILY.includes(from) && RESCUE_FAMILY.includes(to));

/** node_timeout (minutes) from the MAAS config. */
export async function nodeTimeoutMinutes(
  db: Kysely<Database>,
  region: RegionContext,
): Promise<number> {
  const value = await getConfigValue(db, region.config, 'node_timeout');
  return typeof value === 'number' && value > 0 ? value : 30;
}

/**
 * The one way a machine's status changes. Every step is checked against the transition table;
 * the UPDATE only applies while the row still has the status it was read with, so two racing
 * requests cannot both move the same machine (the loser gets 409 and nothing changes).
 */
export async function moveMachine(
  db: Kysely<Database>,
  region: RegionContext,
  machine: MachineRow,
  options: MoveOptions,
): Promise<MachineRow> {
  const from = machineStatus(machine);
  let current = from;
  for (const next of options.path) {
    assertTransition(current, next);
    current = next;
  }
  const to = current;
  const now = machineServices(region).now();
  const expires = statusExpiresAt(to, now.getTime(), await nodeTimeoutMinutes(db, region));
  const result = await db
    .updateTable('machines')
    .set({
      ...options.patch,
      status: to,
      previous_status: keepsPreviousStatus(from, to) ? machine.previous_status : from,
      status_expires: expires === undefined ? null : new Date(expires).toISOString(),
      updated: now.toISOString(),
    })
    .where('id', '=', machine.id)
    .where('status', '=', from)
    .returningAll()
    .executeTakeFirst();
  if (result === undefined) {
    throw new AppError(
      'MACHINE_CHANGED_CONCURRENTLY',
      `Machine ${machine.system_id} changed while the request ran; try again.`,
    );
  }
  await recordEvent(db, {
    type: options.event?.type ?? nodeStatusName(to),
    description:
      options.event?.description ??
      (to === from ? '' : `From '${nodeStatusName(from)}' to '${nodeStatusName(to)}'`),
    level: options.event?.level ?? 'INFO',
    nodeSystemId: machine.system_id,
    nodeHostname: machine.hostname,
    username: options.username ?? null,
  });
  return result;
}

/** Push a monitored status's deadline forward (boot config served, installer progress). */
export async function touchExpiry(
  db: Kysely<Database>,
  region: RegionContext,
  machine: MachineRow,
): Promise<void> {
  const expires = statusExpiresAt(
    machineStatus(machine),
    machineServices(region).now().getTime(),
    await nodeTimeoutMinutes(db, region),
  );
  if (expires === undefined) return;
  await updateMachine(db, machine.id, { status_expires: new Date(expires).toISOString() });
}
