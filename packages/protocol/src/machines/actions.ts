import { RELEASABLE_STATUSES } from './failure-statuses.js';
import { MACHINE_MESSAGES } from './messages.js';
import {
  ALL_NODE_STATUSES,
  NODE_STATUS as S,
  nodeStatusName,
  type NodeStatus,
} from './node-status.js';
import { MACHINE_ERROR_CODES, type MachineErrorCode } from './state-violation.js';
import { canTransition } from './transitions.js';

/** Machine operations whose availability depends on the machine's state. */
export const MACHINE_ACTIONS = [
  'accept',
  'commission',
  'test',
  'allocate',
  'deploy',
  'release',
  'abort',
  'mark_broken',
  'mark_fixed',
  'lock',
  'unlock',
  'rescue_mode',
  'exit_rescue_mode',
  'override_failed_testing',
] as const;

export type MachineAction = (typeof MACHINE_ACTIONS)[number];

/** What an action needs to know about the machine besides its status. */
export interface ActionContext {
  readonly status: NodeStatus;
  readonly systemId: string;
  /** Status before the current operation: where aborted tests and mark_fixed return to. */
  readonly previousStatus?: NodeStatus | undefined;
  readonly locked?: boolean | undefined;
  /** `release` with erase=true goes to DISK_ERASING instead of RELEASING. */
  readonly erase?: boolean | undefined;
  /** Deployed OS, if any: override_failed_testing returns a machine with one to DEPLOYED. */
  readonly osystem?: string | undefined;
}

export interface ActionRule {
  readonly allowedFrom: readonly NodeStatus[];
  /** Statuses in which the request succeeds without doing anything (an idempotent retry). */
  readonly noopFrom: readonly NodeStatus[];
  readonly code: MachineErrorCode;
  /** MAAS's message for a request the state forbids. */
  readonly message: (ctx: ActionContext) => string;
  /** Statuses the machine passes through, in order; empty when the status does not change. */
  readonly path: (ctx: ActionContext) => readonly NodeStatus[];
}

const reachableFrom = (to: NodeStatus): NodeStatus[] =>
  ALL_NODE_STATUSES.filter((from) => from !== to && canTransition(from, to));

const invalidTransition = (to: NodeStatus) => (ctx: ActionContext) =>
  `Invalid transition: ${nodeStatusName(ctx.status)} -> ${nodeStatusName(to)}.`;

const conflict = MACHINE_ERROR_CODES.STATE_CONFLICT;
const unavailable = MACHINE_ERROR_CODES.ACTION_UNAVAILABLE;

const ABORT_TARGETS: Readonly<Partial<Record<NodeStatus, NodeStatus>>> = {
  [S.DISK_ERASING]: S.FAILED_DISK_ERASING,
  // MAAS puts an aborted commissioning back to NEW: the machine must be commissioned again.
  [S.COMMISSIONING]: S.NEW,
  [S.DEPLOYING]: S.ALLOCATED,
};

export const ACTION_RULES: Readonly<Record<MachineAction, ActionRule>> = {
  accept: {
    allowedFrom: [S.NEW],
    noopFrom: [S.READY, S.COMMISSIONING],
    code: conflict,
    message: (c) =>
      `Cannot accept node enlistment: node ${c.systemId} is in state ${nodeStatusName(c.status)}.`,
    path: () => [S.COMMISSIONING],
  },
  commission: {
    allowedFrom: [S.NEW, S.FAILED_COMMISSIONING, S.READY, S.BROKEN],
    noopFrom: [],
    code: unavailable,
    message: () => 'Commission is not available because of the current state of the node.',
    path: () => [S.COMMISSIONING],
  },
  test: {
    allowedFrom: [
      S.FAILED_COMMISSIONING,
      S.NEW,
      S.READY,
      S.RESERVED,
      S.ALLOCATED,
      S.FAILED_DEPLOYMENT,
      S.DEPLOYED,
      S.MISSING,
      S.RETIRED,
      S.BROKEN,
      S.RESCUE_MODE,
      S.FAILED_RELEASING,
      S.FAILED_DISK_ERASING,
      S.FAILED_ENTERING_RESCUE_MODE,
      S.FAILED_EXITING_RESCUE_MODE,
      S.FAILED_TESTING,
    ],
    noopFrom: [],
    code: unavailable,
    message: () => 'Test is not available because of the current state of the node.',
    path: () => [S.TESTING],
  },
  allocate: {
    allowedFrom: [S.READY],
    noopFrom: [],
    code: conflict,
    message: () => MACHINE_MESSAGES.noMachineAvailable,
    path: () => [S.ALLOCATED],
  },
  deploy: {
    // A READY machine is allocated to the caller on the way (MAAS's auto-allocation).
    allowedFrom: [S.READY, S.ALLOCATED],
    noopFrom: [],
    code: conflict,
    message: (c) => `Can't deploy a machine that is in the '${nodeStatusName(c.status)}' state`,
    path: (c) => (c.status === S.READY ? [S.ALLOCATED, S.DEPLOYING] : [S.DEPLOYING]),
  },
  release: {
    allowedFrom: RELEASABLE_STATUSES,
    noopFrom: [S.RELEASING, S.READY],
    code: conflict,
    message: (c) =>
      `Machine cannot be released in its current state ('${nodeStatusName(c.status)}').`,
    path: (c) => [c.erase === true ? S.DISK_ERASING : S.RELEASING],
  },
  abort: {
    allowedFrom: [S.DISK_ERASING, S.COMMISSIONING, S.DEPLOYING, S.TESTING],
    noopFrom: [],
    code: conflict,
    message: (c) =>
      `Cannot abort in current state: node ${c.systemId} is in state ${nodeStatusName(c.status)}.`,
    path: (c) => {
      const fixed = ABORT_TARGETS[c.status];
      if (fixed !== undefined) return [fixed];
      // Aborted tests return to where testing started. MAAS writes that status without checking
      // the table; Kiln keeps the table authoritative and parks the machine in FAILED_TESTING
      // when the table has no way back (testing started from FAILED_COMMISSIONING/RESCUE_MODE).
      const back = c.previousStatus ?? S.READY;
      return [canTransition(S.TESTING, back) ? back : S.FAILED_TESTING];
    },
  },
  mark_broken: {
    allowedFrom: reachableFrom(S.BROKEN),
    noopFrom: [S.BROKEN],
    code: conflict,
    message: invalidTransition(S.BROKEN),
    path: () => [S.BROKEN],
  },
  mark_fixed: {
    allowedFrom: [S.BROKEN],
    noopFrom: [],
    code: conflict,
    message: () => "Can't mark a non-broken node as 'Ready'.",
    path: (c) => [c.previousStatus === S.DEPLOYED ? S.DEPLOYED : S.READY],
  },
  lock: {
    allowedFrom: [S.DEPLOYED, S.DEPLOYING],
    noopFrom: [],
    code: conflict,
    message: () => "Can't lock, node is not deployed or deploying",
    path: () => [],
  },
  unlock: {
    allowedFrom: ALL_NODE_STATUSES,
    noopFrom: [],
    code: conflict,
    message: () => MACHINE_MESSAGES.notLocked,
    path: () => [],
  },
  rescue_mode: {
    allowedFrom: reachableFrom(S.ENTERING_RESCUE_MODE),
    noopFrom: [],
    code: conflict,
    message: invalidTransition(S.ENTERING_RESCUE_MODE),
    path: () => [S.ENTERING_RESCUE_MODE],
  },
  exit_rescue_mode: {
    allowedFrom: reachableFrom(S.EXITING_RESCUE_MODE),
    noopFrom: [],
    code: conflict,
    message: invalidTransition(S.EXITING_RESCUE_MODE),
    path: () => [S.EXITING_RESCUE_MODE],
  },
  override_failed_testing: {
    allowedFrom: [S.FAILED_TESTING],
    noopFrom: [],
    code: conflict,
    message: () => "Unable to override node status. Node is not in 'Failed testing' status.",
    path: (c) => [c.osystem !== undefined && c.osystem !== '' ? S.DEPLOYED : S.READY],
  },
};
