import {
  NODE_STATUS as S,
  isNodeStatus,
  nodeStatusName,
  planAction,
  type NodeStatus,
} from '@kiln/protocol';
import type { UserRow } from '../../users/index.js';
import { getMachine } from '../repository/machines-repository.js';
import type { MachineRow } from '../repository/tables.js';
import { ensureNodeToken } from '../tokens/node-tokens.js';
import { ctxOf, powerOnOrFail } from './machine-actions.js';
import { moveMachine } from './move-machine.js';
import { requireUnlocked } from './owner-rules.js';
import { powerMachine, powerOnToNetboot } from './power-machine.js';
import type { MachineContext } from '../machine-context.js';

/**
 * Rescue mode (MAAS's rescue_mode): the machine boots the ephemeral environment and stays up for
 * an operator to repair it; the status it had before is kept in `previous_status` through every
 * rescue step so that exiting returns it there. The environment's empty scripts run reports OK,
 * which moves ENTERING_RESCUE_MODE to RESCUE_MODE (metadata/signal.ts).
 */
export async function enterRescueMode(
  region: MachineContext,
  machine: MachineRow,
  user: UserRow | null,
  comment: string | undefined,
): Promise<MachineRow> {
  requireUnlocked(machine);
  const plan = planAction('rescue_mode', ctxOf(machine));
  const moved = await moveMachine(region.db, region, machine, {
    path: plan.path,
    patch: { netboot: 1, error_description: '' },
    event: { type: 'Entering rescue mode', description: comment ?? 'Started rescue mode' },
    username: user?.username ?? null,
  });
  await ensureNodeToken(region.db, moved.id);
  return powerOnOrFail(region, moved, S.FAILED_ENTERING_RESCUE_MODE, user?.username ?? null);
}

/** The rescue environment reported in: the machine is now in rescue mode. */
export function rescueEnvironmentReady(
  region: MachineContext,
  machine: MachineRow,
): Promise<MachineRow> {
  return moveMachine(region.db, region, machine, {
    path: [S.RESCUE_MODE],
    event: { type: 'Rescue mode', description: 'The rescue environment is up' },
  });
}

/**
 * Leave rescue mode for the status the machine had before: a deployed machine is power-cycled
 * into its installed system (status first, so the rack already answers `local` when it boots);
 * any other machine is powered off. A power failure leaves FAILED_EXITING_RESCUE_MODE with the
 * reason, except for a deployed machine, which is DEPLOYED again and reports the failed cycle.
 */
export async function exitRescueMode(
  region: MachineContext,
  machine: MachineRow,
  user: UserRow | null,
  comment: string | undefined,
): Promise<MachineRow> {
  requireUnlocked(machine);
  const plan = planAction('exit_rescue_mode', ctxOf(machine));
  const back: NodeStatus = isNodeStatus(machine.previous_status)
    ? machine.previous_status
    : S.READY;
  const username = user?.username ?? null;
  const exiting = await moveMachine(region.db, region, machine, {
    path: plan.path,
    event: { type: 'Exiting rescue mode', description: comment ?? 'Stopped rescue mode' },
    username,
  });
  if (back === S.DEPLOYED) {
    const deployed = await moveMachine(region.db, region, exiting, {
      path: [S.DEPLOYED],
      patch: { netboot: 0 },
      event: { type: 'Exited rescue mode', description: 'Rebooting into the installed system' },
      username,
    });
    await powerOnToNetboot(region, deployed, username);
    return getMachine(region.db, machine.system_id);
  }
  try {
    await powerMachine(region, exiting, 'off', username);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await moveMachine(region.db, region, exiting, {
      path: [S.FAILED_EXITING_RESCUE_MODE],
      patch: { error_description: reason },
      event: { type: 'Exiting rescue mode failed', description: reason, level: 'ERROR' },
    });
    throw error;
  }
  return moveMachine(region.db, region, exiting, {
    path: [back],
    event: { type: 'Exited rescue mode', description: `Back to '${nodeStatusName(back)}'` },
    username,
  });
}
