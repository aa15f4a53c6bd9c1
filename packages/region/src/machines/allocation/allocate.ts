import { AppError } from '@kiln/node-kit';
import { MACHINE_MESSAGES, NODE_STATUS, assertTransition, statusExpiresAt } from '@kiln/protocol';
import { recordEvent } from '../../events/index.js';
import type { RegionContext } from '../../region-context.js';
import type { MachineRow } from '../repository/tables.js';
import { machineServices } from '../services.js';
import { candidatesQuery, describeConstraints, type AllocationConstraints } from './constraints.js';

export interface AllocateOptions {
  readonly username: string;
  readonly agentName?: string | undefined;
  readonly comment?: string | undefined;
  readonly dryRun?: boolean | undefined;
}

/** How many candidates to read per round; losers of a race move on to the next one. */
const BATCH = 20;

function noMachine(c: AllocationConstraints): AppError {
  const text = describeConstraints(c);
  return new AppError(
    'MACHINE_NONE_AVAILABLE',
    text === ''
      ? MACHINE_MESSAGES.noMachineAvailable
      : `No available machine matches constraints: ${text}`,
  );
}

/**
 * Atomic allocation on both databases without a global lock: the claim is one conditional UPDATE
 * (`status = READY AND owner IS NULL`), so among any number of concurrent callers exactly one
 * changes a given row; a caller whose claim matched nothing tries the next candidate. Candidates
 * are re-read while any remain, so a burst of callers drains the pool and the rest get 409.
 */
export async function allocateMachine(
  region: RegionContext,
  constraints: AllocationConstraints,
  options: AllocateOptions,
): Promise<MachineRow> {
  const { db } = region;
  assertTransition(NODE_STATUS.READY, NODE_STATUS.ALLOCATED);
  if (options.dryRun === true) {
    const found = await candidatesQuery(db, constraints).executeTakeFirst();
    if (found === undefined) throw noMachine(constraints);
    return found;
  }
  const tried = new Set<number>();
  for (;;) {
    const candidates = (
      await candidatesQuery(db, constraints)
        .limit(BATCH + tried.size)
        .execute()
    ).filter((m) => !tried.has(m.id));
    if (candidates.length === 0) throw noMachine(constraints);
    // Spread concurrent callers over the candidates instead of all fighting for the first one.
    const start = Math.floor(Math.random() * Math.min(candidates.length, BATCH));
    const ordered = [...candidates.slice(start), ...candidates.slice(0, start)];
    for (const candidate of ordered) {
      tried.add(candidate.id);
      const now = machineServices(region).now();
      const expires = statusExpiresAt(NODE_STATUS.ALLOCATED, now.getTime());
      const claimed = await db
        .updateTable('machines')
        .set({
          status: NODE_STATUS.ALLOCATED,
          previous_status: NODE_STATUS.READY,
          owner: options.username,
          agent_name: options.agentName ?? '',
          status_expires: expires === undefined ? null : new Date(expires).toISOString(),
          updated: now.toISOString(),
        })
        .where('id', '=', candidate.id)
        .where('status', '=', NODE_STATUS.READY)
        .where('owner', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (claimed === undefined) continue;
      await recordEvent(db, {
        type: 'Allocated',
        description: options.comment ?? `Allocated to ${options.username}`,
        nodeSystemId: claimed.system_id,
        nodeHostname: claimed.hostname,
        username: options.username,
      });
      return claimed;
    }
  }
}
