import { isNodeStatus, nodeStatusName, timedOutStatus } from '@kiln/protocol';
import { moveMachine } from '../lifecycle/move-machine.js';
import type { MachineContext } from '../machine-context.js';

/**
 * One pass of the timeout monitor (spec §4.2): machines whose status_expires has passed move to
 * the failed counterpart of their status, with an event saying why. Returns the system_ids moved.
 * A machine that changed in between is left alone (moveMachine's conditional update).
 */
export async function sweepTimedOutMachines(region: MachineContext): Promise<string[]> {
  const now = region.machines.now();
  const expired = await region.db
    .selectFrom('machines')
    .selectAll()
    .where('status_expires', 'is not', null)
    .where('status_expires', '<=', now.toISOString())
    .execute();
  const moved: string[] = [];
  for (const machine of expired) {
    if (!isNodeStatus(machine.status) || machine.status_expires === null) continue;
    const to = timedOutStatus(machine.status, Date.parse(machine.status_expires), now.getTime());
    if (to === undefined) continue;
    try {
      const reason = `Machine operation '${nodeStatusName(machine.status)}' timed out after node_timeout.`;
      await moveMachine(region.db, region, machine, {
        path: [to],
        patch: { error_description: reason },
        event: { type: 'Timed out', description: reason, level: 'ERROR' },
      });
      moved.push(machine.system_id);
    } catch (error) {
      region.logger.warn(
        { err: error, machineId: machine.system_id },
        'timeout sweep could not move machine',
      );
    }
  }
  return moved;
}

/** Runs the sweep every `intervalMs` until stopped; one pass at a time. */
export function startTimeoutSweeper(
  region: MachineContext,
  intervalMs = region.machines.sweepIntervalMs,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepTimedOutMachines(region)
      .catch((error: unknown) => region.logger.warn({ err: error }, 'timeout sweep failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
