import { describe, expect, it } from 'vitest';
import {
  ALL_NODE_STATUSES,
  INITIAL_STATUSES,
  MachineStateViolation,
  NODE_STATUS,
  NODE_TRANSITIONS,
  assertTransition,
  canTransition,
  type NodeStatus,
} from './index.js';

// Spec §4.2 verbatim (continuation lines joined, "plus {...}" kept): the expectation is parsed
// from this text rather than shared with transitions.ts, so a typo in either one fails a test.
const SPEC = `
- (none) → NEW, MISSING, RETIRED
- NEW → COMMISSIONING, TESTING, MISSING, READY, RETIRED, BROKEN, ENTERING_RESCUE_MODE
- COMMISSIONING → FAILED_COMMISSIONING, READY, RETIRED, MISSING, NEW, BROKEN, TESTING
- FAILED_COMMISSIONING → COMMISSIONING, MISSING, RETIRED, BROKEN, ENTERING_RESCUE_MODE, TESTING
- READY → ENTERING_RESCUE_MODE, COMMISSIONING, ALLOCATED, RESERVED, RETIRED, MISSING, BROKEN, TESTING
- RESERVED → READY, ALLOCATED, RETIRED, MISSING, BROKEN, DISK_ERASING, RELEASING, ENTERING_RESCUE_MODE, TESTING
- ALLOCATED → READY, RETIRED, MISSING, BROKEN, DEPLOYING, DISK_ERASING, RELEASING, ENTERING_RESCUE_MODE, TESTING
- RELEASING → NEW, ALLOCATED, RESERVED, DEPLOYED, READY, BROKEN, MISSING, FAILED_DEPLOYMENT, FAILED_DISK_ERASING, FAILED_RELEASING
- DEPLOYING → ALLOCATED, MISSING, BROKEN, FAILED_DEPLOYMENT, DEPLOYED, READY, DISK_ERASING, RELEASING
- FAILED_DEPLOYMENT → ALLOCATED, MISSING, BROKEN, READY, DISK_ERASING, RELEASING, ENTERING_RESCUE_MODE, TESTING
- DEPLOYED → ALLOCATED, MISSING, BROKEN, READY, DISK_ERASING, RELEASING, ENTERING_RESCUE_MODE, TESTING
- MISSING → NEW, READY, ALLOCATED, COMMISSIONING, BROKEN, ENTERING_RESCUE_MODE, TESTING
- RETIRED → NEW, READY, MISSING, BROKEN, ENTERING_RESCUE_MODE, TESTING
- BROKEN → COMMISSIONING, READY, DISK_ERASING, RELEASING, ENTERING_RESCUE_MODE, TESTING, DEPLOYED
- FAILED_RELEASING → RELEASING, DISK_ERASING, READY, BROKEN, TESTING
- DISK_ERASING → BROKEN, DISK_ERASING, FAILED_DISK_ERASING, READY, RELEASING
- FAILED_DISK_ERASING → DISK_ERASING, RELEASING, BROKEN, ALLOCATED, READY, ENTERING_RESCUE_MODE, TESTING
- ENTERING_RESCUE_MODE → READY, BROKEN, DEPLOYED, RESCUE_MODE, FAILED_ENTERING_RESCUE_MODE, EXITING_RESCUE_MODE
- FAILED_ENTERING_RESCUE_MODE → BROKEN, ENTERING_RESCUE_MODE, EXITING_RESCUE_MODE, TESTING
- RESCUE_MODE → BROKEN, EXITING_RESCUE_MODE, TESTING
- EXITING_RESCUE_MODE → NEW, BROKEN, FAILED_COMMISSIONING, READY, RESERVED, ALLOCATED, FAILED_DEPLOYMENT, DEPLOYED, MISSING, RETIRED, FAILED_RELEASING, FAILED_DISK_ERASING, RESCUE_MODE, FAILED_ENTERING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE, FAILED_TESTING
- FAILED_EXITING_RESCUE_MODE → BROKEN, EXITING_RESCUE_MODE, TESTING
- TESTING → BROKEN, NEW, READY, RESERVED, ALLOCATED, DEPLOYED, plus {NEW, COMMISSIONING, FAILED_DEPLOYMENT, MISSING, RETIRED, BROKEN, FAILED_RELEASING, FAILED_DISK_ERASING, FAILED_ENTERING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE, FAILED_TESTING}
- FAILED_TESTING → COMMISSIONING, BROKEN, MISSING, ENTERING_RESCUE_MODE, TESTING, READY, DEPLOYED`;

type Key = keyof typeof NODE_STATUS;
const code = (name: string): NodeStatus => {
  expect(Object.hasOwn(NODE_STATUS, name), `unknown status ${name} in spec text`).toBe(true);
  return NODE_STATUS[name as Key];
};

const expected = new Map<NodeStatus | null, Set<NodeStatus>>();
for (const line of SPEC.trim().split('\n')) {
  const [from, to] = line.replace(/^- /, '').split(' → ') as [string, string];
  const targets = to
    .replace(/plus \{|\}/g, '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  expected.set(from === '(none)' ? null : code(from), new Set(targets.map(code)));
}

const pairs = [null, ...ALL_NODE_STATUSES].flatMap((from) =>
  ALL_NODE_STATUSES.map((to) => ({ from, to })),
);

describe('transition table', () => {
  it('has a row for every status and for creation', () => {
    expect(expected.size).toBe(24);
    expect(
      Object.keys(NODE_TRANSITIONS)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(ALL_NODE_STATUSES);
    expect(new Set(INITIAL_STATUSES)).toEqual(expected.get(null));
  });

  it.each(ALL_NODE_STATUSES)('row %d lists each target once and matches the spec', (from) => {
    const row = NODE_TRANSITIONS[from];
    expect(new Set(row).size).toBe(row.length);
    expect(new Set(row)).toEqual(expected.get(from));
  });

  it('agrees with the spec on all 552 (from, to) pairs', () => {
    const mismatches = pairs.filter(({ from, to }) => {
      const allowed = from === to || (expected.get(from)?.has(to) ?? false);
      return canTransition(from, to) !== allowed;
    });
    expect(mismatches).toEqual([]);
  });

  it('treats staying in the same status as allowed, like MAAS', () => {
    expect(canTransition(NODE_STATUS.READY, NODE_STATUS.READY)).toBe(true);
    expect(canTransition(null, NODE_STATUS.READY)).toBe(false);
  });

  it('answers a forbidden move with MAAS 409 "Invalid transition" message', () => {
    const error = (() => {
      try {
        assertTransition(NODE_STATUS.READY, NODE_STATUS.DEPLOYED);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(MachineStateViolation);
    expect(error).toMatchObject({
      code: 'MACHINE_STATE_CONFLICT',
      status: 409,
      message: 'Invalid transition: Ready -> Deployed.',
      details: { from: 4, to: 6 },
    });
  });

  it('names a creation in a non-initial status "Unknown"', () => {
    expect(() => assertTransition(null, NODE_STATUS.DEPLOYED)).toThrow(
      'Invalid transition: Unknown -> Deployed.',
    );
    expect(() => assertTransition(null, NODE_STATUS.NEW)).not.toThrow();
  });

  it.each(pairs)('assertTransition agrees with canTransition for %j', ({ from, to }) => {
    if (canTransition(from, to)) expect(() => assertTransition(from, to)).not.toThrow();
    else expect(() => assertTransition(from, to)).toThrow(MachineStateViolation);
  });
});
