import { AppError } from '@kiln/node-kit';
import type { PowerTypeDescription } from '@kiln/protocol';
import { createIpmiPowerDriver, type IpmiDriverOptions } from './ipmi-power.js';
import { manualPowerDriver } from './manual-power.js';
import type { PowerDriver } from './power-driver.js';
import { POWER_ERROR_CODES } from './power-errors.js';
import { validatePowerParameters } from './power-parameters.js';
import { createQemuPowerDriver, type QemuDriverOptions } from './qemu-power.js';
import { redfishPowerDriver } from './redfish-power.js';
import { webhookPowerDriver } from './webhook-power.js';

export interface PowerRegistry {
  /** Registered `power_type` names, sorted. */
  names(): string[];
  /** The driver for `powerType`, or POWER_TYPE_UNKNOWN (400) naming the valid types. */
  get(powerType: string): PowerDriver;
  /** Validate raw parameters for `powerType` (POWER_PARAMETERS_INVALID, 400, on failure). */
  validate(powerType: string, raw: unknown): { driver: PowerDriver; params: unknown };
  /** `describe_power_types`: one MAAS-shaped description per driver, sorted by name. */
  describe(): Promise<PowerTypeDescription[]>;
}

export function createPowerRegistry(drivers: readonly PowerDriver[]): PowerRegistry {
  const byName = new Map<string, PowerDriver>();
  for (const driver of drivers) {
    if (byName.has(driver.name)) throw new Error(`power driver ${driver.name} registered twice`);
    byName.set(driver.name, driver);
  }
  const names = () => [...byName.keys()].sort();
  const get = (powerType: string): PowerDriver => {
    const driver = byName.get(powerType);
    if (driver !== undefined) return driver;
    throw new AppError(
      POWER_ERROR_CODES.TYPE_UNKNOWN,
      `Unknown power type '${powerType}'. Valid power types: ${names().join(', ')}.`,
      { details: { powerType, valid: names() } },
    );
  };
  return {
    names,
    get,
    validate(powerType, raw) {
      const driver = get(powerType);
      return { driver, params: validatePowerParameters(driver, raw) };
    },
    async describe() {
      return Promise.all(
        names().map(async (name) => {
          const driver = get(name);
          return {
            driver_type: 'power' as const,
            name,
            description: driver.description,
            chassis: false,
            can_probe: false,
            queryable: driver.queryable,
            fields: [...driver.fields],
            missing_packages: (await driver.missingPackages?.()) ?? [],
          };
        }),
      );
    },
  };
}

export interface DefaultDriverOptions {
  readonly ipmi?: IpmiDriverOptions;
  readonly qemu?: QemuDriverOptions;
}

/** Kiln's built-in drivers: manual, webhook, ipmi, redfish, qemu. */
export function createDefaultPowerRegistry(options: DefaultDriverOptions = {}): PowerRegistry {
  return createPowerRegistry([
    manualPowerDriver,
    webhookPowerDriver,
    createIpmiPowerDriver(options.ipmi),
    redfishPowerDriver,
    createQemuPowerDriver(options.qemu),
  ]);
}
