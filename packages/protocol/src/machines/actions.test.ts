import { describe, expect, it } from 'vitest';
import {
  ACTION_RULES,
  ALL_NODE_STATUSES,
  MACHINE_ACTIONS,
  MACHINE_MESSAGES,
  MachineStateViolation,
  NODE_STATUS as S,
  canTransition,
  availableActions,
  isActionAllowed,
  planAction,
  type ActionContext,
  type MachineAction,
  type NodeStatus,
} from './index.js';

const ALL = ALL_NODE_STATUSES;
// Where each action is accepted, written out by hand from MAAS (api/machines.py, models/node.py,
// node_action.py) independently of actions.ts. 'lock' and 'unlock' also depend on `locked`.
const EXPECTED_FROM: Record<MachineAction, readonly NodeStatus[]> = {
  accept: [S.NEW, S.READY, S.COMMISSIONING],
  commission: [S.NEW, S.FAILED_COMMISSIONING, S.READY, S.BROKEN],
  test: [2, 0, 4, 5, 10, 11, 6, 3, 7, 8, 16, 13, 15, 18, 20, 22],
  allocate: [S.READY],
  deploy: [S.READY, S.ALLOCATED],
  release: [10, 5, 8, 9, 6, 11, 15, 13, S.RELEASING, S.READY],
  abort: [S.DISK_ERASING, S.COMMISSIONING, S.DEPLOYING, S.TESTING],
  mark_broken: ALL,
  mark_fixed: [S.BROKEN],
  lock: [S.DEPLOYED, S.DEPLOYING],
  unlock: ALL,
  rescue_mode: [0, 2, 4, 5, 10, 11, 6, 3, 7, 8, 15, 18, 22],
  exit_rescue_mode: [17, 18, 16, 20],
  override_failed_testing: [S.FAILED_TESTING],
};

const ctxFor = (status: NodeStatus, action: MachineAction): ActionContext => ({
  status,
  systemId: 'abc123',
  locked: action === 'unlock',
});

const cases = MACHINE_ACTIONS.flatMap((action) => ALL.map((status) => ({ action, status })));

describe('machine actions', () => {
  it('has a rule for each action and nothing else', () => {
    expect(Object.keys(ACTION_RULES).sort()).toEqual([...MACHINE_ACTIONS].sort());
    expect(Object.keys(EXPECTED_FROM).sort()).toEqual([...MACHINE_ACTIONS].sort());
  });

  it.each(cases)('$action from status $status matches MAAS', ({ action, status }) => {
    const ctx = ctxFor(status, action);
    const allowed = EXPECTED_FROM[action].includes(status);
    expect(isActionAllowed(action, ctx)).toBe(allowed);
    if (!allowed) {
      expect(() => planAction(action, ctx)).toThrow(MachineStateViolation);
      return;
    }
    const plan = planAction(action, ctx);
    // Every step is a legal transition, and the plan ends where it says.
    let current = status;
    for (const next of plan.path) {
      expect(canTransition(current, next)).toBe(true);
      current = next;
    }
    expect(plan.to).toBe(current);
    expect(plan.from).toBe(status);
  });

  it.each([
    ['deploy', S.DEPLOYED, 409, "Can't deploy a machine that is in the 'Deployed' state"],
    ['deploy', S.NEW, 409, "Can't deploy a machine that is in the 'New' state"],
    ['release', S.NEW, 409, "Machine cannot be released in its current state ('New')."],
    ['abort', S.READY, 409, 'Cannot abort in current state: node abc123 is in state Ready.'],
    ['accept', S.DEPLOYED, 409, 'Cannot accept node enlistment: node abc123 is in state Deployed.'],
    ['allocate', S.DEPLOYED, 409, 'No machine available.'],
    ['mark_fixed', S.READY, 409, "Can't mark a non-broken node as 'Ready'."],
    ['lock', S.READY, 409, "Can't lock, node is not deployed or deploying"],
    ['rescue_mode', S.RESCUE_MODE, 409, 'Invalid transition: Rescue mode -> Entering rescue mode.'],
    ['exit_rescue_mode', S.READY, 409, 'Invalid transition: Ready -> Exiting rescue mode.'],
    [
      'override_failed_testing',
      S.READY,
      409,
      "Unable to override node status. Node is not in 'Failed testing' status.",
    ],
    [
      'commission',
      S.DEPLOYED,
      400,
      'Commission is not available because of the current state of the node.',
    ],
    ['test', S.DEPLOYING, 400, 'Test is not available because of the current state of the node.'],
  ] as const)('%s in status %d answers %d "%s"', (action, status, httpStatus, message) => {
    let thrown: unknown;
    try {
      planAction(action, { status, systemId: 'abc123' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(MachineStateViolation);
    expect(thrown).toMatchObject({
      status: httpStatus,
      message,
      code: httpStatus === 400 ? 'MACHINE_ACTION_UNAVAILABLE' : 'MACHINE_STATE_CONFLICT',
      details: { action, status, systemId: 'abc123' },
    });
  });

  it.each([
    ['accept', { status: S.NEW }, [S.COMMISSIONING]],
    ['commission', { status: S.READY }, [S.COMMISSIONING]],
    ['test', { status: S.DEPLOYED }, [S.TESTING]],
    ['allocate', { status: S.READY }, [S.ALLOCATED]],
    ['deploy', { status: S.READY }, [S.ALLOCATED, S.DEPLOYING]],
    ['deploy', { status: S.ALLOCATED }, [S.DEPLOYING]],
    ['release', { status: S.DEPLOYED }, [S.RELEASING]],
    ['release', { status: S.DEPLOYED, erase: true }, [S.DISK_ERASING]],
    ['release', { status: S.DEPLOYED, erase: false }, [S.RELEASING]],
    ['abort', { status: S.COMMISSIONING }, [S.NEW]],
    ['abort', { status: S.DEPLOYING }, [S.ALLOCATED]],
    ['abort', { status: S.DISK_ERASING }, [S.FAILED_DISK_ERASING]],
    ['abort', { status: S.TESTING, previousStatus: S.DEPLOYED }, [S.DEPLOYED]],
    ['abort', { status: S.TESTING }, [S.READY]],
    ['abort', { status: S.TESTING, previousStatus: S.RESCUE_MODE }, [S.FAILED_TESTING]],
    ['mark_broken', { status: S.DEPLOYED }, [S.BROKEN]],
    ['mark_fixed', { status: S.BROKEN }, [S.READY]],
    ['mark_fixed', { status: S.BROKEN, previousStatus: S.DEPLOYED }, [S.DEPLOYED]],
    ['lock', { status: S.DEPLOYED, locked: false }, []],
    ['unlock', { status: S.DEPLOYED, locked: true }, []],
    ['rescue_mode', { status: S.DEPLOYED }, [S.ENTERING_RESCUE_MODE]],
    ['exit_rescue_mode', { status: S.RESCUE_MODE }, [S.EXITING_RESCUE_MODE]],
    ['override_failed_testing', { status: S.FAILED_TESTING }, [S.READY]],
    ['override_failed_testing', { status: S.FAILED_TESTING, osystem: '' }, [S.READY]],
    ['override_failed_testing', { status: S.FAILED_TESTING, osystem: 'ubuntu' }, [S.DEPLOYED]],
  ] as const)('%s with %j goes through %j', (action, partial, path) => {
    const plan = planAction(action, { systemId: 'x', ...partial });
    expect(plan.path).toEqual(path);
    expect(plan.noop).toBe(false);
    expect(plan.to).toBe(path.at(-1) ?? partial.status);
  });

  it.each([
    ['release', S.READY],
    ['release', S.RELEASING],
    ['accept', S.READY],
    ['accept', S.COMMISSIONING],
    ['mark_broken', S.BROKEN],
  ] as const)('%s in status %d is an idempotent no-op', (action, status) => {
    expect(planAction(action, { status, systemId: 'x' })).toEqual({
      action,
      from: status,
      path: [],
      to: status,
      noop: true,
    });
  });

  it('refuses to lock a locked machine and to unlock an unlocked one', () => {
    expect(() => planAction('lock', { status: S.DEPLOYED, systemId: 'x', locked: true })).toThrow(
      MACHINE_MESSAGES.alreadyLocked,
    );
    expect(() => planAction('unlock', { status: S.DEPLOYED, systemId: 'x' })).toThrow(
      MACHINE_MESSAGES.notLocked,
    );
    expect(() =>
      planAction('unlock', { status: S.DEPLOYED, systemId: 'x', locked: false }),
    ).toThrow('Machine is not locked');
    expect(isActionAllowed('lock', { status: S.DEPLOYED, systemId: 'x', locked: true })).toBe(
      false,
    );
  });

  it('keeps the MAAS wording of status-independent messages', () => {
    expect(MACHINE_MESSAGES).toEqual({
      noMachineAvailable: 'No machine available.',
      allocatedToAnotherUser: "Can't allocate a machine belonging to another user.",
      powerOnNotAllocated: "Can't start node: it hasn't been allocated.",
      alreadyLocked: 'Machine is already locked',
      notLocked: 'Machine is not locked',
    });
  });

  it.each([
    [
      { status: S.READY },
      ['commission', 'test', 'allocate', 'deploy', 'mark_broken', 'rescue_mode'],
    ],
    [
      { status: S.DEPLOYED, locked: true },
      ['test', 'release', 'mark_broken', 'unlock', 'rescue_mode'],
    ],
    [{ status: S.DEPLOYED }, ['test', 'release', 'mark_broken', 'lock', 'rescue_mode']],
    [{ status: S.BROKEN }, ['commission', 'test', 'release', 'mark_fixed', 'rescue_mode']],
    [{ status: S.DEPLOYING }, ['release', 'abort', 'mark_broken', 'lock']],
  ] as const)('offers %j these actions: %j', (partial, actions) => {
    expect(availableActions({ systemId: 'x', ...partial })).toEqual(actions);
  });
});
