import { describe, expect, it } from 'vitest';
import {
  ALL_NODE_STATUSES,
  NODE_STATUS,
  NODE_STATUS_NAMES,
  NODE_TYPE,
  NODE_TYPE_NAMES,
  isNodeStatus,
  nodeStatusKey,
  nodeStatusName,
  parseNodeStatus,
} from './index.js';

// Spec §4.1, copied as text so that a typo in node-status.ts cannot also be in the expectation.
const SPEC_TABLE = `
| 0 | NEW (= DEFAULT) | New |
| 1 | COMMISSIONING | Commissioning |
| 2 | FAILED_COMMISSIONING | Failed commissioning |
| 3 | MISSING | Missing |
| 4 | READY | Ready |
| 5 | RESERVED | Reserved |
| 6 | DEPLOYED | Deployed |
| 7 | RETIRED | Retired |
| 8 | BROKEN | Broken |
| 9 | DEPLOYING | Deploying |
| 10 | ALLOCATED | Allocated |
| 11 | FAILED_DEPLOYMENT | Failed deployment |
| 12 | RELEASING | Releasing |
| 13 | FAILED_RELEASING | Releasing failed |
| 14 | DISK_ERASING | Disk erasing |
| 15 | FAILED_DISK_ERASING | Failed disk erasing |
| 16 | RESCUE_MODE | Rescue mode |
| 17 | ENTERING_RESCUE_MODE | Entering rescue mode |
| 18 | FAILED_ENTERING_RESCUE_MODE | Failed to enter rescue mode |
| 19 | EXITING_RESCUE_MODE | Exiting rescue mode |
| 20 | FAILED_EXITING_RESCUE_MODE | Failed to exit rescue mode |
| 21 | TESTING | Testing |
| 22 | FAILED_TESTING | Failed testing |`;

const rows = SPEC_TABLE.trim()
  .split('\n')
  .map((line) => {
    const [code, name, display] = line
      .split('|')
      .slice(1, 4)
      .map((cell) => cell.trim());
    return { code: Number(code), key: name!.split(' ')[0]!, display: display! };
  });

describe('node statuses', () => {
  it('has exactly the 23 statuses of the spec', () => {
    expect(rows).toHaveLength(23);
    expect(ALL_NODE_STATUSES).toEqual(rows.map((r) => r.code));
    expect(Object.keys(NODE_STATUS).sort()).toEqual(rows.map((r) => r.key).sort());
  });

  it.each(rows)('$key is $code, displayed "$display"', ({ code, key, display }) => {
    expect(NODE_STATUS[key as keyof typeof NODE_STATUS]).toBe(code);
    expect(isNodeStatus(code)).toBe(true);
    const status = code as (typeof ALL_NODE_STATUSES)[number];
    expect(nodeStatusName(status)).toBe(display);
    expect(NODE_STATUS_NAMES[status]).toBe(display);
    expect(nodeStatusKey(status)).toBe(key);
  });

  it.each([-1, 23, 4.5, '4', null, undefined])('rejects %j as a status', (value) => {
    expect(isNodeStatus(value)).toBe(false);
  });

  it.each([
    [4, 4],
    ['4', 4],
    [' 22 ', 22],
    ['ready', 4],
    ['FAILED_DEPLOYMENT', 11],
    ['failed-deployment', 11],
    ['Failed deployment', 11],
    ['Releasing failed', 13],
    ['failed to enter rescue mode', 18],
    ['default', 0],
    ['DEFAULT', 0],
  ] as const)('parses %j as %d', (input, expected) => {
    expect(parseNodeStatus(input)).toBe(expected);
  });

  it.each([99, -1, '99', 'readyish', '', 'toString', '__proto__'])('does not parse %j', (input) => {
    expect(parseNodeStatus(input)).toBeUndefined();
  });

  it('names node types like MAAS', () => {
    expect(NODE_TYPE).toEqual({
      MACHINE: 0,
      DEVICE: 1,
      RACK_CONTROLLER: 2,
      REGION_CONTROLLER: 3,
      REGION_AND_RACK_CONTROLLER: 4,
    });
    expect(NODE_TYPE_NAMES[2]).toBe('Rack controller');
    expect(NODE_TYPE_NAMES[4]).toBe('Region and rack controller');
  });
});
