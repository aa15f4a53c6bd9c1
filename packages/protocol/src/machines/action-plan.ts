import {
  ACTION_RULES,
  MACHINE_ACTIONS,
  type ActionContext,
  type MachineAction,
} from './actions.js';
import type { NodeStatus } from './node-status.js';
import { MACHINE_MESSAGES } from './messages.js';
import { MachineStateViolation } from './state-violation.js';
import { assertTransition } from './transitions.js';

export interface ActionPlan {
  readonly action: MachineAction;
  readonly from: NodeStatus;
  /** Statuses to apply in order (each one a legal transition from the one before). */
  readonly path: readonly NodeStatus[];
  /** The final status, or `from` when the action leaves the status alone. */
  readonly to: NodeStatus;
  /** True when the request is an idempotent retry: answer success and change nothing. */
  readonly noop: boolean;
}

/** lock/unlock depend on the `locked` flag before the status: MAAS checks it first. */
function lockViolation(action: MachineAction, ctx: ActionContext): string | undefined {
  if (action === 'lock' && ctx.locked === true) return MACHINE_MESSAGES.alreadyLocked;
  if (action === 'unlock' && ctx.locked !== true) return ACTION_RULES.unlock.message(ctx);
  return undefined;
}

/**
 * Decide what `action` does to a machine in `ctx.status`, or throw MAAS's NodeStateViolation
 * (409, or 400 for commission/test) when the state forbids it. The returned path is checked
 * against the transition table, so a rule can never smuggle in a move the table forbids.
 */
export function planAction(action: MachineAction, ctx: ActionContext): ActionPlan {
  const rule = ACTION_RULES[action];
  const details = { action, status: ctx.status, systemId: ctx.systemId };
  const lockMessage = lockViolation(action, ctx);
  if (lockMessage !== undefined) throw new MachineStateViolation(lockMessage, details, rule.code);
  if (rule.noopFrom.includes(ctx.status)) {
    return { action, from: ctx.status, path: [], to: ctx.status, noop: true };
  }
  if (!rule.allowedFrom.includes(ctx.status)) {
    throw new MachineStateViolation(rule.message(ctx), details, rule.code);
  }
  const path = rule.path(ctx);
  let current = ctx.status;
  for (const next of path) {
    assertTransition(current, next);
    current = next;
  }
  return { action, from: ctx.status, path, to: current, noop: false };
}

/** Whether `action` would be accepted (for the UI's action menus and `status_action`). */
export function isActionAllowed(action: MachineAction, ctx: ActionContext): boolean {
  try {
    planAction(action, ctx);
    return true;
  } catch {
    // planAction only throws MachineStateViolation.
    return false;
  }
}

/**
 * Actions that would change something for this machine (idempotent no-ops left out), in
 * MACHINE_ACTIONS order: what a UI offers in its action menu.
 */
export function availableActions(ctx: ActionContext): MachineAction[] {
  return MACHINE_ACTIONS.filter((action) => {
    try {
      return !planAction(action, ctx).noop;
    } catch {
      return false;
    }
  });
}
