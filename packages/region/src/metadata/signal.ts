import { AppError } from '@kiln/node-kit';
import { NODE_STATUS as S, failedStatusFor, isNodeStatus, nodeStatusName } from '@kiln/protocol';
import type { Form } from '../api/form.js';
import { isFormFile } from '../api/form.js';
import { recordEvent } from '../events/index.js';
import type { RegionContext } from '../region-context.js';
import { parseCommissioningInventory } from '../machines/install-config/index.js';
import { rescueEnvironmentReady } from '../machines/lifecycle/rescue-mode.js';
import { testingPassed } from '../machines/lifecycle/testing.js';
import { completeRelease } from '../machines/lifecycle/release-cleanup.js';
import { moveMachine, touchExpiry } from '../machines/lifecycle/move-machine.js';
import { getMachine } from '../machines/repository/machines-repository.js';
import type { MachineRow } from '../machines/repository/tables.js';
import { applyInventory } from './apply-inventory.js';
import {
  latestCommissioningStdout,
  storeScriptOutputs,
  type ScriptOutput,
} from './script-results.js';

export const SIGNAL_STATUSES = [
  'OK',
  'FAILED',
  'WORKING',
  'COMMISSIONING',
  'TESTING',
  'TIMEDOUT',
  'INSTALLING',
  'APPLYING_NETCONF',
  'RELEASING',
] as const;

/** Statuses a machine may signal from (spec §6.4); anything else answers 409. */
const SIGNALABLE: readonly number[] = [
  S.NEW,
  S.COMMISSIONING,
  S.TESTING,
  S.DEPLOYING,
  S.DISK_ERASING,
  S.RELEASING,
  S.ENTERING_RESCUE_MODE,
  S.RESCUE_MODE,
  S.EXITING_RESCUE_MODE,
  S.READY,
  S.BROKEN,
  S.FAILED_COMMISSIONING,
  S.FAILED_DEPLOYMENT,
  S.FAILED_RELEASING,
  S.FAILED_DISK_ERASING,
  S.FAILED_TESTING,
];

const text = (form: Form, name: string): string | undefined => {
  const value = form.last(name);
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.data.toString('utf8');
};

async function commissioningSince(region: RegionContext, machine: MachineRow): Promise<string> {
  const start = await region.db
    .selectFrom('events')
    .select('created')
    .where('node_system_id', '=', machine.system_id)
    .where('type', 'in', ['Commissioning', 'Enlisted', 'New'])
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return start?.created ?? machine.created;
}

async function finishCommissioning(region: RegionContext, machine: MachineRow): Promise<void> {
  let inventory;
  try {
    inventory = parseCommissioningInventory(
      await latestCommissioningStdout(
        region.db,
        machine,
        await commissioningSince(region, machine),
      ),
    );
  } catch (error) {
    const reason = `Commissioning results are unusable: ${error instanceof Error ? error.message : String(error)}`;
    await moveMachine(region.db, region, machine, {
      path: [S.FAILED_COMMISSIONING],
      patch: { error_description: reason },
      event: { type: 'Commissioning failed', description: reason, level: 'ERROR' },
    });
    return;
  }
  await region.db.transaction().execute(async (trx) => {
    await applyInventory(trx, machine, inventory);
    // An enlisting machine goes back to NEW for an administrator to accept (spec §4.3).
    const to = machine.enlisting === 1 ? S.NEW : S.READY;
    await moveMachine(trx, region, machine, {
      path: to === S.NEW ? (machine.status === S.NEW ? [] : [S.NEW]) : [S.READY],
      patch: { enlisting: 0, owner: null, error_description: '' },
      event: {
        type: 'Commissioned',
        description: `${inventory.cpu.count} CPUs, ${inventory.memory.total_mib} MiB, ${inventory.block_devices.length} disks, ${inventory.interfaces.length} NICs`,
      },
    });
  });
}

/** `POST <v>/?op=signal` from the ephemeral environment (spec §6.4). */
export async function handleSignal(
  region: RegionContext,
  node: MachineRow,
  form: Form,
): Promise<string> {
  const status = text(form, 'status');
  if (status === undefined || !(SIGNAL_STATUSES as readonly string[]).includes(status)) {
    throw new AppError(
      'METADATA_SIGNAL_STATUS_INVALID',
      `Unknown status: ${status ?? '(missing)'}`,
    );
  }
  let machine = node;
  if (!SIGNALABLE.includes(machine.status)) {
    throw new AppError(
      'METADATA_SIGNAL_STATE',
      `Machine wasn't commissioning/installing (status is ${isNodeStatus(machine.status) ? nodeStatusName(machine.status) : machine.status})`,
    );
  }
  const exit = text(form, 'exit_status');
  const outputs: ScriptOutput[] = [];
  for (const name of form.names()) {
    for (const value of form.all(name)) {
      if (!isFormFile(value)) continue;
      outputs.push({
        name,
        data: value.data,
        status:
          status === 'TIMEDOUT'
            ? 'TIMEDOUT'
            : exit === undefined
              ? status
              : Number(exit) === 0
                ? 'PASSED'
                : 'FAILED',
        exitStatus: exit === undefined || !/^\d+$/.test(exit) ? null : Number(exit),
        runtime: text(form, 'runtime') ?? null,
      });
    }
  }
  await storeScriptOutputs(region.db, machine, outputs);
  const error = text(form, 'error') ?? '';
  const scriptNames = [...new Set(outputs.map((o) => o.name.replace(/\.(out|err)$/, '')))].join(
    ', ',
  );
  await recordEvent(region.db, {
    type:
      status === 'WORKING' && error.startsWith('Starting') ? 'Script started' : `Signal ${status}`,
    description:
      error !== '' ? error : scriptNames !== '' ? `${scriptNames} exited ${exit ?? '?'}` : '',
    level: status === 'FAILED' || status === 'TIMEDOUT' ? 'WARNING' : 'INFO',
    nodeSystemId: machine.system_id,
    nodeHostname: machine.hostname,
  });
  if (status === 'COMMISSIONING' && machine.status === S.NEW) {
    machine = await moveMachine(region.db, region, machine, {
      path: [S.COMMISSIONING],
      event: { type: 'Commissioning', description: 'Enlistment commissioning started' },
    });
  }
  if (status === 'OK') {
    if (machine.status === S.COMMISSIONING || machine.status === S.NEW)
      await finishCommissioning(region, machine);
    else if (machine.status === S.DISK_ERASING || machine.status === S.RELEASING)
      await completeRelease(region.db, region, machine, 'Disk erasing complete');
    else if (machine.status === S.ENTERING_RESCUE_MODE)
      await rescueEnvironmentReady(region, machine);
    else if (machine.status === S.TESTING) await testingPassed(region, machine);
  } else if (status === 'FAILED') {
    const failed = isNodeStatus(machine.status) ? failedStatusFor(machine.status) : undefined;
    if (failed !== undefined) {
      await moveMachine(region.db, region, machine, {
        path: [failed],
        patch: { error_description: error },
        event: { type: nodeStatusName(failed), description: error, level: 'ERROR' },
      });
    }
  } else {
    await touchExpiry(region.db, region, await getMachine(region.db, machine.system_id));
  }
  return 'OK';
}
