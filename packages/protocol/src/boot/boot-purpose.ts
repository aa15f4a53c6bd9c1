import type { NodeStatus } from '../machines/index.js';
import { NODE_STATUS } from '../machines/index.js';
import type { BootPurpose } from './boot-answer.js';

/**
 * The region's rule for what a booting machine does next (spec §5.2, MAAS `get_boot_purpose`),
 * shared so the region and any test agree on it. The rack never decides this itself.
 */
export interface BootPurposeFacts {
  /** null: no machine has this MAC/UUID (an unknown machine enlists). */
  readonly status: NodeStatus | null;
  /** Devices and controllers always boot locally. */
  readonly isMachine: boolean;
  /** Set after curtin's late command (`op=netboot_off`); a deploying machine then boots its disk. */
  readonly netboot: boolean;
  /** Ephemeral (diskless) deployments boot the image every time and never run curtin. */
  readonly ephemeralDeploy: boolean;
}

// Statuses whose work runs in the commissioning environment (scripts, tests, erasure, rescue).
const COMMISSIONING_LIKE: ReadonlySet<NodeStatus> = new Set<NodeStatus>([
  NODE_STATUS.COMMISSIONING,
  NODE_STATUS.TESTING,
  NODE_STATUS.DISK_ERASING,
  NODE_STATUS.ENTERING_RESCUE_MODE,
  NODE_STATUS.RESCUE_MODE,
  NODE_STATUS.RELEASING,
]);

export function bootPurposeFor(facts: BootPurposeFacts): BootPurpose {
  if (facts.status === null) return 'enlist';
  if (!facts.isMachine) return 'local';
  if (COMMISSIONING_LIKE.has(facts.status)) return 'commissioning';
  if (facts.status === NODE_STATUS.DEPLOYING)
    return facts.netboot || facts.ephemeralDeploy ? 'xinstall' : 'local';
  if (facts.status === NODE_STATUS.DEPLOYED) return facts.ephemeralDeploy ? 'xinstall' : 'local';
  return 'poweroff';
}
