import { AppError } from '@kiln/node-kit';
import type { PowerAction, PowerState } from '@kiln/protocol';
import { readJsonObject } from '../../db/index.js';
import { recordEvent } from '../../events/index.js';
import type { RegionContext } from '../../region-context.js';
import { runPowerAction } from '../power/index.js';
import { updateMachine } from '../repository/machines-repository.js';
import type { MachineRow } from '../repository/tables.js';
import { machineServices } from '../services.js';

/**
 * Drive a machine's power through its driver, with retries, every attempt in the machine's
 * event log, and the observed state stored. Failures surface as 503 (MAAS's PowerProblem).
 */
export async function powerMachine(
  region: RegionContext,
  machine: MachineRow,
  action: PowerAction,
  username: string | null = null,
): Promise<PowerState> {
  const services = machineServices(region);
  if (machine.power_type === '') {
    throw new AppError(
      'MACHINE_POWER_UNCONFIGURED',
      `Machine ${machine.system_id} has no power type; set power_type first.`,
    );
  }
  const { driver, params } = services.power.validate(
    machine.power_type,
    readJsonObject(machine.power_parameters),
  );
  try {
    const result = await runPowerAction(driver, action, params, {
      systemId: machine.system_id,
      logger: region.logger,
      retries: services.powerRetries,
      backoff: services.powerBackoff,
      recordEvent: async (event) => {
        await recordEvent(region.db, {
          type: event.type,
          description: event.description,
          level: event.level,
          nodeSystemId: machine.system_id,
          nodeHostname: machine.hostname,
          username,
        });
      },
    });
    const state: PowerState =
      action === 'query'
        ? (result.state ?? 'unknown')
        : driver.queryable
          ? action === 'on'
            ? 'on'
            : 'off'
          : 'unknown';
    await updateMachine(region.db, machine.id, { power_state: state });
    return state;
  } catch (error) {
    await updateMachine(region.db, machine.id, { power_state: 'error' });
    throw new AppError(
      'MACHINE_POWER_FAILED',
      `Power ${action} failed for ${machine.system_id}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * Power on for a network boot (commissioning, deployment, disk erasing). A machine that is still
 * running, such as a deployed OS about to be erased, is power-cycled: "on" alone would leave it in
 * its old system and the new operation would only end at its timeout. Drivers that cannot report
 * the power state (manual, webhook without a query URL) are simply switched on.
 */
export async function powerOnToNetboot(
  region: RegionContext,
  machine: MachineRow,
  username: string | null = null,
): Promise<PowerState> {
  const { driver } = machineServices(region).power.validate(
    machine.power_type,
    readJsonObject(machine.power_parameters),
  );
  if (driver.queryable) {
    const state = await powerMachine(region, machine, 'query', username).catch(
      (): PowerState => 'unknown',
    );
    if (state === 'on') await powerMachine(region, machine, 'off', username);
  }
  return powerMachine(region, machine, 'on', username);
}
