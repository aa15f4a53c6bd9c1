import type { RegionContext } from '../region-context.js';
import { databaseImageAvailability, type ImageAvailability } from './images/image-availability.js';
import {
  createDefaultPowerRegistry,
  type BackoffOptions,
  type PowerRegistry,
} from './power/index.js';

/**
 * What the machine lifecycle needs beyond the RegionContext. Kept beside the context (one per
 * running region) so API handlers, the metadata server and the sweeper share the same instances,
 * and tests can swap a piece (a power registry with a fake BMC, an image seam) before use.
 */
export interface MachineServices {
  readonly power: PowerRegistry;
  readonly images: ImageAvailability;
  /** Retries and backoff of power actions started by the API. */
  readonly powerRetries: number;
  readonly powerBackoff: BackoffOptions;
  /** Timeout sweeper period. */
  readonly sweepIntervalMs: number;
  readonly now: () => Date;
  /** Folder of operator `curtin_userdata*` templates (defaults to <dataDir>/preseeds). */
  readonly templatesDir?: string | undefined;
}

const services = new WeakMap<RegionContext, MachineServices>();

function defaults(region: RegionContext): MachineServices {
  return {
    power: createDefaultPowerRegistry(),
    images: databaseImageAvailability(region.db),
    powerRetries: 2,
    powerBackoff: { initialMs: 500, factor: 2, maxMs: 5000 },
    sweepIntervalMs: 60_000,
    now: () => new Date(),
    templatesDir: `${region.config.dataDir}/preseeds`,
  };
}

export function machineServices(region: RegionContext): MachineServices {
  let found = services.get(region);
  if (found === undefined) {
    found = defaults(region);
    services.set(region, found);
  }
  return found;
}

/** Replace parts of a region's machine services (tests, alternative image stores). */
export function configureMachineServices(
  region: RegionContext,
  overrides: Partial<MachineServices>,
): MachineServices {
  const next = { ...machineServices(region), ...overrides };
  services.set(region, next);
  return next;
}
