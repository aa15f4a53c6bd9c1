/**
 * Machine statuses with MAAS's numeric codes (the `status` field on the wire) and display names
 * (`status_name`). The codes are part of the API contract: clients such as Juju and Terraform
 * compare them numerically, so they never change and are never reused.
 */
export const NODE_STATUS = {
  NEW: 0,
  COMMISSIONING: 1,
  FAILED_COMMISSIONING: 2,
  MISSING: 3,
  READY: 4,
  RESERVED: 5,
  DEPLOYED: 6,
  RETIRED: 7,
  BROKEN: 8,
  DEPLOYING: 9,
  ALLOCATED: 10,
  FAILED_DEPLOYMENT: 11,
  RELEASING: 12,
  FAILED_RELEASING: 13,
  DISK_ERASING: 14,
  FAILED_DISK_ERASING: 15,
  RESCUE_MODE: 16,
  ENTERING_RESCUE_MODE: 17,
  FAILED_ENTERING_RESCUE_MODE: 18,
  EXITING_RESCUE_MODE: 19,
  FAILED_EXITING_RESCUE_MODE: 20,
  TESTING: 21,
  FAILED_TESTING: 22,
} as const;

export type NodeStatusKey = keyof typeof NODE_STATUS;
export type NodeStatus = (typeof NODE_STATUS)[NodeStatusKey];

/** Every status code, ascending. */
export const ALL_NODE_STATUSES: readonly NodeStatus[] = Object.values(NODE_STATUS).sort(
  (a, b) => a - b,
);

/** `status_name` as MAAS renders it (note "Releasing failed", not "Failed releasing"). */
export const NODE_STATUS_NAMES: Readonly<Record<NodeStatus, string>> = {
  0: 'New',
  1: 'Commissioning',
  2: 'Failed commissioning',
  3: 'Missing',
  4: 'Ready',
  5: 'Reserved',
  6: 'Deployed',
  7: 'Retired',
  8: 'Broken',
  9: 'Deploying',
  10: 'Allocated',
  11: 'Failed deployment',
  12: 'Releasing',
  13: 'Releasing failed',
  14: 'Disk erasing',
  15: 'Failed disk erasing',
  16: 'Rescue mode',
  17: 'Entering rescue mode',
  18: 'Failed to enter rescue mode',
  19: 'Exiting rescue mode',
  20: 'Failed to exit rescue mode',
  21: 'Testing',
  22: 'Failed testing',
};

const KEY_BY_CODE = new Map<number, NodeStatusKey>(
  Object.entries(NODE_STATUS).map(([key, code]) => [code, key as NodeStatusKey]),
);

export function isNodeStatus(value: unknown): value is NodeStatus {
  return typeof value === 'number' && KEY_BY_CODE.has(value);
}

export function nodeStatusName(status: NodeStatus): string {
  return NODE_STATUS_NAMES[status];
}

/** The constant name (`FAILED_DEPLOYMENT`) of a code, for logs and database enums. */
export function nodeStatusKey(status: NodeStatus): NodeStatusKey {
  return KEY_BY_CODE.get(status) as NodeStatusKey;
}

/**
 * Read a status as users write it in filters and forms: the code (`4`), the constant name in any
 * case (`ready`, `FAILED_DEPLOYMENT`, `failed-deployment`) or the display name (`Failed
 * deployment`). Returns undefined for anything else so the caller can name the bad value.
 */
export function parseNodeStatus(input: string | number): NodeStatus | undefined {
  if (typeof input === 'number') return isNodeStatus(input) ? input : undefined;
  const text = input.trim();
  if (/^\d+$/.test(text)) return parseNodeStatus(Number(text));
  const key = text.toUpperCase().replace(/[\s-]+/g, '_');
  if (key === 'DEFAULT') return NODE_STATUS.NEW;
  if (Object.hasOwn(NODE_STATUS, key)) return NODE_STATUS[key as NodeStatusKey];
  const lower = text.toLowerCase();
  return ALL_NODE_STATUSES.find((code) => NODE_STATUS_NAMES[code].toLowerCase() === lower);
}

/** `node_type` codes (only machines are managed by the lifecycle, the rest appear in listings). */
export const NODE_TYPE = {
  MACHINE: 0,
  DEVICE: 1,
  RACK_CONTROLLER: 2,
  REGION_CONTROLLER: 3,
  REGION_AND_RACK_CONTROLLER: 4,
} as const;

export type NodeType = (typeof NODE_TYPE)[keyof typeof NODE_TYPE];

export const NODE_TYPE_NAMES: Readonly<Record<NodeType, string>> = {
  0: 'Machine',
  1: 'Device',
  2: 'Rack controller',
  3: 'Region controller',
  4: 'Region and rack controller',
};
