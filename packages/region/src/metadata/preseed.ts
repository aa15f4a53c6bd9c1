import { stringify } from 'yaml';
import { COMMISSIONING_LIKE_STATUSES, NODE_STATUS as S, isNodeStatus } from '@kiln/protocol';
import type { NodeCredentials } from '../machines/index.js';
import type { MachineRow } from '../machines/index.js';
import { readTestingOptions } from '../machines/index.js';

/** Statuses in which a machine boots something that needs its preseed (and so its token). */
export function wantsPreseed(machine: MachineRow): boolean {
  if (!isNodeStatus(machine.status)) return false;
  return COMMISSIONING_LIKE_STATUSES.includes(machine.status) || machine.status === S.DEPLOYING;
}

interface PowerState {
  readonly mode: 'reboot' | 'poweroff';
  readonly timeout: number;
  readonly condition: string;
}

const REBOOT: PowerState = {
  mode: 'reboot',
  timeout: 1800,
  condition: 'test ! -e /tmp/block-reboot',
};

/** What the environment does once cloud-init is done; undefined: it stays up. */
function powerStateFor(machine: MachineRow, installing: boolean): PowerState | undefined {
  // A rescue environment stays up until the operator exits rescue mode.
  if (machine.status === S.ENTERING_RESCUE_MODE || machine.status === S.RESCUE_MODE)
    return undefined;
  if (machine.status === S.DEPLOYING) return installing ? REBOOT : undefined;
  if (machine.status === S.TESTING) {
    // enable_ssh: the operator wants the environment kept up (MAAS skips power_state too).
    if (readTestingOptions(machine).enable_ssh) return undefined;
    // A deployed machine goes back to its installed system: by then its tests have passed,
    // it is DEPLOYED with netboot off, and the rack answers `local`.
    if (machine.previous_status === S.DEPLOYED) return REBOOT;
  }
  return {
    mode: 'poweroff',
    timeout: machine.status === S.DISK_ERASING ? 604800 : 3600,
    condition: 'test ! -e /tmp/block-poweroff',
  };
}

/**
 * The cloud-config an ephemeral environment starts from (spec §6.5): the MAAS datasource with the
 * machine's own token, the reporting webhook, and what to do at the end (power off after
 * commissioning/erasing/testing, reboot into the installed system after an install or after
 * testing a deployed machine, stay up in rescue mode).
 */
export function renderNodePreseed(
  machine: MachineRow,
  base: string,
  creds: NodeCredentials,
): string {
  const installing = machine.status === S.DEPLOYING && machine.ephemeral_deploy !== 1;
  const metadataUrl = `${base}/MAAS/metadata/${installing ? 'curtin' : ''}`;
  const power = powerStateFor(machine, installing);
  const doc = {
    datasource: { MAAS: { metadata_url: metadataUrl, ...creds } },
    reporting: {
      maas: {
        type: 'webhook',
        endpoint: `${base}/MAAS/metadata/status/${machine.system_id}`,
        ...creds,
      },
    },
    ...(power === undefined ? {} : { power_state: { ...power, delay: 'now' } }),
  };
  return `#cloud-config\n${stringify(doc)}`;
}

/** Enlistment: an unknown machine reads the anonymous enlist metadata and registers itself. */
export function renderEnlistPreseed(base: string): string {
  const doc = {
    datasource: { MAAS: { metadata_url: `${base}/MAAS/metadata/enlist` } },
    power_state: {
      mode: 'poweroff',
      timeout: 1800,
      delay: 'now',
      condition: 'test ! -e /tmp/block-poweroff',
    },
  };
  return `#cloud-config\n${stringify(doc)}`;
}
