import { z } from 'zod';
import type { PowerDriver } from './power-driver.js';

export type ManualParameters = Record<string, never>;

/**
 * For machines nobody can switch remotely: Kiln asks the operator (through the event log that
 * `runPowerAction` writes and this driver's warning) and reports the state as unknown.
 */
export const manualPowerDriver: PowerDriver<ManualParameters> = {
  name: 'manual',
  description: 'Manual',
  fields: [],
  queryable: false,
  parametersSchema: z.strictObject({}),
  powerOn(_params, ctx) {
    ctx.logger.warn(
      { machineId: ctx.systemId },
      'manual power: the operator must power this machine on',
    );
    return Promise.resolve();
  },
  powerOff(_params, ctx) {
    ctx.logger.warn(
      { machineId: ctx.systemId },
      'manual power: the operator must power this machine off',
    );
    return Promise.resolve();
  },
  queryState() {
    return Promise.resolve('unknown');
  },
};
