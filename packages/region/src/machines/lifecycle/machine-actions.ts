import { NODE_STATUS as S, planAction, type NodeStatus } from '@kiln/protocol';
import { getConfigValue } from '../../maas-config/index.js';
import { assertImageNotMigrating } from '../../maas-migration/index.js';
import type { RegionContext } from '../../region-context.js';
import type { UserRow } from '../../users/index.js';
import { machineStatus } from '../repository/machine-json.js';
import { getMachine } from '../repository/machines-repository.js';
import type { MachineRow } from '../repository/tables.js';
import { ensureNodeToken, revokeNodeToken } from '../tokens/node-tokens.js';
import { moveMachine } from './move-machine.js';
import { requireOwnerOrAdmin, requireUnlocked } from './owner-rules.js';
import { powerMachine, powerOnToNetboot } from './power-machine.js';
import { completeRelease, RELEASED_PATCH } from './release-cleanup.js';

/** What an action's rules look at (protocol's planAction). */
export const ctxOf = (m: MachineRow) => ({
  status: machineStatus(m),
  systemId: m.system_id,
  previousStatus: m.previous_status as NodeStatus,
  locked: m.locked === 1,
  osystem: m.osystem,
});

/**
 * Power on after a status change; when the power driver fails, the machine goes to the failed
 * counterpart of the new status (with the reason) instead of waiting for a timeout.
 */
export async function powerOnOrFail(
  region: RegionContext,
  machine: MachineRow,
  failed: NodeStatus,
  username: string | null,
): Promise<MachineRow> {
  try {
    await powerOnToNetboot(region, machine, username);
    return await getMachine(region.db, machine.system_id);
  } catch (error) {
    const fresh = await getMachine(region.db, machine.system_id);
    const reason = error instanceof Error ? error.message : String(error);
    await moveMachine(region.db, region, fresh, {
      path: [failed],
      patch: { error_description: reason },
      event: { type: 'Power on failed', description: reason, level: 'ERROR' },
    });
    throw error;
  }
}

export async function commissionMachine(
  region: RegionContext,
  machine: MachineRow,
  user: UserRow | null,
): Promise<MachineRow> {
  requireUnlocked(machine);
  const plan = planAction('commission', ctxOf(machine));
  await assertImageNotMigrating(
    region.db,
    String(await getConfigValue(region.db, region.config, 'commissioning_osystem')),
    String(await getConfigValue(region.db, region.config, 'commissioning_distro_series')),
    machine.architecture,
  );
  const moved = await moveMachine(region.db, region, machine, {
    path: plan.path,
    patch: { error_description: '', netboot: 1, owner: null },
    event: { type: 'Commissioning', description: 'Started commissioning' },
    username: user?.username ?? null,
  });
  await ensureNodeToken(region.db, moved.id);
  return powerOnOrFail(region, moved, S.FAILED_COMMISSIONING, user?.username ?? null);
}

/**
 * MAAS's accept_enlistment: a NEW machine starts commissioning; one already accepted (READY,
 * COMMISSIONING) is left alone and reported as not accepted (null).
 */
export async function acceptMachine(
  region: RegionContext,
  machine: MachineRow,
  user: UserRow | null,
): Promise<MachineRow | null> {
  requireUnlocked(machine);
  const plan = planAction('accept', ctxOf(machine));
  if (plan.noop) return null;
  const moved = await moveMachine(region.db, region, machine, {
    path: plan.path,
    patch: { error_description: '', netboot: 1, owner: null, enlisting: 0 },
    event: { type: 'Commissioning', description: 'Enlistment accepted; started commissioning' },
    username: user?.username ?? null,
  });
  await ensureNodeToken(region.db, moved.id);
  return powerOnOrFail(region, moved, S.FAILED_COMMISSIONING, user?.username ?? null);
}

export interface ReleaseOptions {
  readonly erase?: boolean | undefined;
  readonly secureErase?: boolean | undefined;
  readonly quickErase?: boolean | undefined;
  readonly comment?: string | undefined;
}

export async function releaseMachine(
  region: RegionContext,
  machine: MachineRow,
  user: UserRow | null,
  options: ReleaseOptions,
): Promise<MachineRow> {
  requireOwnerOrAdmin(machine, user, 'release');
  requireUnlocked(machine);
  const configErase =
    (await getConfigValue(region.db, region.config, 'enable_disk_erasing_on_release')) === true;
  const erase = options.erase === true || configErase;
  const plan = planAction('release', { ...ctxOf(machine), erase });
  if (plan.noop) return machine;
  const username = user?.username ?? null;
  // The deployed OS's credentials die with the deployment; erasing gets fresh ones.
  await revokeNodeToken(region.db, machine.id);
  if (erase) {
    const secure =
      options.secureErase ??
      (await getConfigValue(region.db, region.config, 'disk_erase_with_secure_erase')) === true;
    const quick =
      options.quickErase ??
      (await getConfigValue(region.db, region.config, 'disk_erase_with_quick_erase')) === true;
    const moved = await moveMachine(region.db, region, machine, {
      path: plan.path,
      patch: {
        erase_options: JSON.stringify({ secure_erase: secure, quick_erase: quick }),
        netboot: 1,
      },
      event: { type: 'Disk erasing', description: options.comment ?? 'Started disk erasing' },
      username,
    });
    await ensureNodeToken(region.db, moved.id);
    return powerOnOrFail(region, moved, S.FAILED_DISK_ERASING, username);
  }
  const releasing = await moveMachine(region.db, region, machine, {
    path: plan.path,
    patch: { ...RELEASED_PATCH, owner: machine.owner },
    event: { type: 'Releasing', description: options.comment ?? 'Started releasing' },
    username,
  });
  try {
    await powerMachine(region, releasing, 'off', username);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await moveMachine(region.db, region, releasing, {
      path: [S.FAILED_RELEASING],
      patch: { error_description: reason },
      event: { type: 'Releasing failed', description: reason, level: 'ERROR' },
    });
    throw error;
  }
  return completeRelease(region.db, region, releasing);
}

export async function abortMachine(
  region: RegionContext,
  machine: MachineRow,
  user: UserRow | null,
  comment: string | undefined,
): Promise<MachineRow> {
  requireOwnerOrAdmin(machine, user, 'abort');
  const plan = planAction('abort', ctxOf(machine));
  const moved = await moveMachine(region.db, region, machine, {
    path: plan.path,
    // Back to a deployed system (an aborted test): it boots from its disk again.
    ...(plan.to === S.DEPLOYED ? { patch: { netboot: 0 } } : {}),
    event: {
      type: 'Aborted',
      description: comment ?? `Aborted '${String(machineStatus(machine))}'`,
    },
    username: user?.username ?? null,
  });
  await powerMachine(region, moved, 'off', user?.username ?? null).catch(() => undefined);
  return getMachine(region.db, machine.system_id);
}

export async function markBroken(
  region: RegionContext,
  machine: MachineRow,
  user: UserRow | null,
  comment: string | undefined,
): Promise<MachineRow> {
  requireOwnerOrAdmin(machine, user, 'mark broken');
  const plan = planAction('mark_broken', ctxOf(machine));
  if (plan.noop) return machine;
  return moveMachine(region.db, region, machine, {
    path: plan.path,
    patch: { error_description: comment ?? '' },
    event: { type: 'Marked broken', description: comment ?? '', level: 'WARNING' },
    username: user?.username ?? null,
  });
}

export async function markFixed(
  region: RegionContext,
  machine: MachineRow,
  user: UserRow | null,
  comment: string | undefined,
): Promise<MachineRow> {
  const plan = planAction('mark_fixed', ctxOf(machine));
  const toReady = plan.to === S.READY;
  return moveMachine(region.db, region, machine, {
    path: plan.path,
    patch: { error_description: '', ...(toReady ? { owner: null } : {}) },
    event: { type: 'Marked fixed', description: comment ?? '' },
    username: user?.username ?? null,
  });
}

export async function setLocked(
  region: RegionContext,
  machine: MachineRow,
  user: UserRow | null,
  locked: boolean,
  comment: string | undefined,
): Promise<MachineRow> {
  requireOwnerOrAdmin(machine, user, locked ? 'lock' : 'unlock');
  planAction(locked ? 'lock' : 'unlock', ctxOf(machine));
  return moveMachine(region.db, region, machine, {
    path: [],
    patch: { locked: locked ? 1 : 0 },
    event: { type: locked ? 'Locked' : 'Unlocked', description: comment ?? '' },
    username: user?.username ?? null,
  });
}

export { completeRelease };
