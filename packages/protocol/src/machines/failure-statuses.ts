import { NODE_STATUS as S, type NodeStatus } from './node-status.js';

/** In-progress status → the failed status a failure (script, webhook event, timeout) moves it to. */
export const FAILURE_STATUS_TRANSITIONS: Readonly<Partial<Record<NodeStatus, NodeStatus>>> = {
  [S.COMMISSIONING]: S.FAILED_COMMISSIONING,
  [S.DEPLOYING]: S.FAILED_DEPLOYMENT,
  [S.RELEASING]: S.FAILED_RELEASING,
  [S.DISK_ERASING]: S.FAILED_DISK_ERASING,
  [S.ENTERING_RESCUE_MODE]: S.FAILED_ENTERING_RESCUE_MODE,
  [S.EXITING_RESCUE_MODE]: S.FAILED_EXITING_RESCUE_MODE,
  [S.TESTING]: S.FAILED_TESTING,
};

/**
 * The subset watched by the timeout monitor. DISK_ERASING is deliberately absent: erasing a
 * large disk legitimately takes days, so only an explicit failure ends it.
 */
export const TIMEOUT_STATUS_TRANSITIONS: Readonly<Partial<Record<NodeStatus, NodeStatus>>> = {
  [S.COMMISSIONING]: S.FAILED_COMMISSIONING,
  [S.DEPLOYING]: S.FAILED_DEPLOYMENT,
  [S.RELEASING]: S.FAILED_RELEASING,
  [S.ENTERING_RESCUE_MODE]: S.FAILED_ENTERING_RESCUE_MODE,
  [S.EXITING_RESCUE_MODE]: S.FAILED_EXITING_RESCUE_MODE,
  [S.TESTING]: S.FAILED_TESTING,
};

/** Default of the `node_timeout` config (minutes). */
export const DEFAULT_NODE_TIMEOUT_MINUTES = 30;

/** Statuses with a fixed timeout that ignores `node_timeout` (minutes). */
export const FIXED_TIMEOUT_MINUTES: Readonly<Partial<Record<NodeStatus, number>>> = {
  [S.RELEASING]: 5,
  [S.EXITING_RESCUE_MODE]: 5,
};

/** The failed counterpart of an in-progress status, or undefined when it has none. */
export function failedStatusFor(status: NodeStatus): NodeStatus | undefined {
  return FAILURE_STATUS_TRANSITIONS[status];
}

export function isFailedStatus(status: NodeStatus): boolean {
  return Object.values(FAILURE_STATUS_TRANSITIONS).includes(status);
}

/**
 * Minutes a machine may stay in `status` before the timeout monitor fails it, or undefined when
 * the status is not monitored.
 */
export function timeoutMinutesFor(
  status: NodeStatus,
  nodeTimeoutMinutes: number = DEFAULT_NODE_TIMEOUT_MINUTES,
): number | undefined {
  if (TIMEOUT_STATUS_TRANSITIONS[status] === undefined) return undefined;
  return FIXED_TIMEOUT_MINUTES[status] ?? nodeTimeoutMinutes;
}

/**
 * When a machine that entered (or last showed progress in) `status` at `sinceMs` expires, in
 * epoch milliseconds; undefined for unmonitored statuses. Boot-config requests and installer
 * progress events call this again with a fresh `sinceMs`, which is how MAAS "resets" the expiry.
 */
export function statusExpiresAt(
  status: NodeStatus,
  sinceMs: number,
  nodeTimeoutMinutes: number = DEFAULT_NODE_TIMEOUT_MINUTES,
): number | undefined {
  const minutes = timeoutMinutesFor(status, nodeTimeoutMinutes);
  return minutes === undefined ? undefined : sinceMs + minutes * 60_000;
}

/**
 * What the timeout monitor does to a machine: the failed status to move it to once `nowMs` has
 * reached its expiry, else undefined.
 */
export function timedOutStatus(
  status: NodeStatus,
  expiresAtMs: number,
  nowMs: number,
): NodeStatus | undefined {
  if (nowMs < expiresAtMs) return undefined;
  return TIMEOUT_STATUS_TRANSITIONS[status];
}

/** Statuses in which the machine boots the ephemeral (commissioning) environment. */
export const COMMISSIONING_LIKE_STATUSES: readonly NodeStatus[] = [
  S.NEW,
  S.COMMISSIONING,
  S.DISK_ERASING,
  S.ENTERING_RESCUE_MODE,
  S.RELEASING,
  S.RESCUE_MODE,
  S.TESTING,
];

/** Statuses `release` (and `mark_broken`'s implicit release) accepts. */
export const RELEASABLE_STATUSES: readonly NodeStatus[] = [
  S.ALLOCATED,
  S.RESERVED,
  S.BROKEN,
  S.DEPLOYING,
  S.DEPLOYED,
  S.FAILED_DEPLOYMENT,
  S.FAILED_DISK_ERASING,
  S.FAILED_RELEASING,
];
