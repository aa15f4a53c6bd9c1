import { AppError } from '@kiln/node-kit';
import type { UserRow } from '../../users/index.js';
import type { MachineRow } from '../repository/tables.js';
import { machineLocked } from '../repository/machines-repository.js';

export const isAdmin = (user: UserRow | null): boolean => user?.is_admin === 1;

/**
 * Only the owner of an allocated machine (or an administrator) may act on it: seed takeaway 3,
 * "allocated to lock out all other users". Unowned machines follow the action's own rule.
 */
export function requireOwnerOrAdmin(machine: MachineRow, user: UserRow | null, verb: string): void {
  if (isAdmin(user)) return;
  if (machine.owner !== null && machine.owner === user?.username) return;
  throw new AppError(
    'MACHINE_NOT_OWNER',
    machine.owner === null
      ? `You do not have permission to ${verb} machine ${machine.system_id}.`
      : `You do not have permission to ${verb} machine ${machine.system_id}: it is allocated to another user.`,
    { details: { systemId: machine.system_id } },
  );
}

export function requireAdmin(user: UserRow | null): void {
  if (!isAdmin(user)) {
    throw new AppError('AUTH_ADMIN_ONLY', 'This method is reserved for admin users.');
  }
}

export function requireUnlocked(machine: MachineRow): void {
  if (machine.locked === 1) throw machineLocked(machine);
}
