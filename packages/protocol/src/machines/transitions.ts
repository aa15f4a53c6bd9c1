import { NODE_STATUS as S, nodeStatusName, type NodeStatus } from './node-status.js';
import { MachineStateViolation } from './state-violation.js';

/** Statuses a machine may be created in (MAAS's "(none) →" row). */
export const INITIAL_STATUSES: readonly NodeStatus[] = [S.NEW, S.MISSING, S.RETIRED];

/**
 * After testing that was started from one of these statuses, a pass resets the machine to READY
 * and a failure to FAILED_TESTING; they are also where an aborted test run returns to.
 */
export const TESTING_RESET_READY_STATUSES: readonly NodeStatus[] = [
  S.NEW,
  S.COMMISSIONING,
  S.FAILED_DEPLOYMENT,
  S.MISSING,
  S.RETIRED,
  S.BROKEN,
  S.FAILED_RELEASING,
  S.FAILED_DISK_ERASING,
  S.FAILED_ENTERING_RESCUE_MODE,
  S.FAILED_EXITING_RESCUE_MODE,
  S.FAILED_TESTING,
];

/**
 * THE lifecycle state machine (spec §4.2): from → statuses it may move to. Every status change
 * in Kiln goes through `canTransition`/`assertTransition`, so this is the only place to edit.
 */
export const NODE_TRANSITIONS: Readonly<Record<NodeStatus, readonly NodeStatus[]>> = {
  [S.NEW]: [
    S.COMMISSIONING,
    S.TESTING,
    S.MISSING,
    S.READY,
    S.RETIRED,
    S.BROKEN,
    S.ENTERING_RESCUE_MODE,
  ],
  [S.COMMISSIONING]: [
    S.FAILED_COMMISSIONING,
    S.READY,
    S.RETIRED,
    S.MISSING,
    S.NEW,
    S.BROKEN,
    S.TESTING,
  ],
  [S.FAILED_COMMISSIONING]: [
    S.COMMISSIONING,
    S.MISSING,
    S.RETIRED,
    S.BROKEN,
    S.ENTERING_RESCUE_MODE,
    S.TESTING,
  ],
  [S.READY]: [
    S.ENTERING_RESCUE_MODE,
    S.COMMISSIONING,
    S.ALLOCATED,
    S.RESERVED,
    S.RETIRED,
    S.MISSING,
    S.BROKEN,
    S.TESTING,
  ],
  [S.RESERVED]: [
    S.READY,
    S.ALLOCATED,
    S.RETIRED,
    S.MISSING,
    S.BROKEN,
    S.DISK_ERASING,
    S.RELEASING,
    S.ENTERING_RESCUE_MODE,
    S.TESTING,
  ],
  [S.ALLOCATED]: [
    S.READY,
    S.RETIRED,
    S.MISSING,
    S.BROKEN,
    S.DEPLOYING,
    S.DISK_ERASING,
    S.RELEASING,
    S.ENTERING_RESCUE_MODE,
    S.TESTING,
  ],
  [S.RELEASING]: [
    S.NEW,
    S.ALLOCATED,
    S.RESERVED,
    S.DEPLOYED,
    S.READY,
    S.BROKEN,
    S.MISSING,
    S.FAILED_DEPLOYMENT,
    S.FAILED_DISK_ERASING,
    S.FAILED_RELEASING,
  ],
  [S.DEPLOYING]: [
    S.ALLOCATED,
    S.MISSING,
    S.BROKEN,
    S.FAILED_DEPLOYMENT,
    S.DEPLOYED,
    S.READY,
    S.DISK_ERASING,
    S.RELEASING,
  ],
  [S.FAILED_DEPLOYMENT]: [
    S.ALLOCATED,
    S.MISSING,
    S.BROKEN,
    S.READY,
    S.DISK_ERASING,
    S.RELEASING,
    S.ENTERING_RESCUE_MODE,
    S.TESTING,
  ],
  [S.DEPLOYED]: [
    S.ALLOCATED,
    S.MISSING,
    S.BROKEN,
    S.READY,
    S.DISK_ERASING,
    S.RELEASING,
    S.ENTERING_RESCUE_MODE,
    S.TESTING,
  ],
  [S.MISSING]: [
    S.NEW,
    S.READY,
    S.ALLOCATED,
    S.COMMISSIONING,
    S.BROKEN,
    S.ENTERING_RESCUE_MODE,
    S.TESTING,
  ],
  [S.RETIRED]: [S.NEW, S.READY, S.MISSING, S.BROKEN, S.ENTERING_RESCUE_MODE, S.TESTING],
  [S.BROKEN]: [
    S.COMMISSIONING,
    S.READY,
    S.DISK_ERASING,
    S.RELEASING,
    S.ENTERING_RESCUE_MODE,
    S.TESTING,
    S.DEPLOYED,
  ],
  [S.FAILED_RELEASING]: [S.RELEASING, S.DISK_ERASING, S.READY, S.BROKEN, S.TESTING],
  // DISK_ERASING → DISK_ERASING is listed by MAAS itself (a restarted erase).
  [S.DISK_ERASING]: [S.BROKEN, S.DISK_ERASING, S.FAILED_DISK_ERASING, S.READY, S.RELEASING],
  [S.FAILED_DISK_ERASING]: [
    S.DISK_ERASING,
    S.RELEASING,
    S.BROKEN,
    S.ALLOCATED,
    S.READY,
    S.ENTERING_RESCUE_MODE,
    S.TESTING,
  ],
  [S.ENTERING_RESCUE_MODE]: [
    S.READY,
    S.BROKEN,
    S.DEPLOYED,
    S.RESCUE_MODE,
    S.FAILED_ENTERING_RESCUE_MODE,
    S.EXITING_RESCUE_MODE,
  ],
  [S.FAILED_ENTERING_RESCUE_MODE]: [
    S.BROKEN,
    S.ENTERING_RESCUE_MODE,
    S.EXITING_RESCUE_MODE,
    S.TESTING,
  ],
  [S.RESCUE_MODE]: [S.BROKEN, S.EXITING_RESCUE_MODE, S.TESTING],
  // Exiting rescue mode returns to whatever the machine was before, hence the long list.
  [S.EXITING_RESCUE_MODE]: [
    S.NEW,
    S.BROKEN,
    S.FAILED_COMMISSIONING,
    S.READY,
    S.RESERVED,
    S.ALLOCATED,
    S.FAILED_DEPLOYMENT,
    S.DEPLOYED,
    S.MISSING,
    S.RETIRED,
    S.FAILED_RELEASING,
    S.FAILED_DISK_ERASING,
    S.RESCUE_MODE,
    S.FAILED_ENTERING_RESCUE_MODE,
    S.FAILED_EXITING_RESCUE_MODE,
    S.FAILED_TESTING,
  ],
  [S.FAILED_EXITING_RESCUE_MODE]: [S.BROKEN, S.EXITING_RESCUE_MODE, S.TESTING],
  [S.TESTING]: [
    ...new Set([
      S.BROKEN,
      S.NEW,
      S.READY,
      S.RESERVED,
      S.ALLOCATED,
      S.DEPLOYED,
      ...TESTING_RESET_READY_STATUSES,
    ]),
  ],
  [S.FAILED_TESTING]: [
    S.COMMISSIONING,
    S.BROKEN,
    S.MISSING,
    S.ENTERING_RESCUE_MODE,
    S.TESTING,
    S.READY,
    S.DEPLOYED,
  ],
};

/**
 * Whether a machine may move from `from` (null: it does not exist yet) to `to`. Staying in the
 * same status is always allowed, as in MAAS: re-applying a status is not a transition.
 */
export function canTransition(from: NodeStatus | null, to: NodeStatus): boolean {
  if (from === null) return INITIAL_STATUSES.includes(to);
  if (from === to) return true;
  return NODE_TRANSITIONS[from].includes(to);
}

/** Throws MAAS's 409 `Invalid transition: Ready -> Deployed.` for a move the table forbids. */
export function assertTransition(from: NodeStatus | null, to: NodeStatus): void {
  if (canTransition(from, to)) return;
  const fromName = from === null ? 'Unknown' : nodeStatusName(from);
  throw new MachineStateViolation(`Invalid transition: ${fromName} -> ${nodeStatusName(to)}.`, {
    from,
    to,
  });
}
