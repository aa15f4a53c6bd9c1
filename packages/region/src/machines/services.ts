import type { RegionContext } from '../region-context.js';
import { databaseImageAvailability, type ImageAvailability } from './images/image-availability.js';
import {
  createDefaultPowerRegistry,
  type BackoffOptions,
  type PowerRegistry,
} from './power/index.js';

/**
 * What the machine lifecycle needs beyond the RegionContext. Built once per running region by
 * the composition root, so API handlers, the metadata server and the sweeper share the same
 * instances; tests pass their own pieces (a clock, a power registry with a fake BMC, backoff).
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

/** The region's machine services: the defaults, with any given piece in place of its default. */
export function createMachineServices(
  region: RegionContext,
  given: Partial<MachineServices> = {},
): MachineServices {
  return {
    power: given.power ?? createDefaultPowerRegistry(),
    images: given.images ?? databaseImageAvailability(region.db),
    powerRetries: given.powerRetries ?? 2,
    powerBackoff: given.powerBackoff ?? { initialMs: 500, factor: 2, maxMs: 5000 },
    sweepIntervalMs: given.sweepIntervalMs ?? 60_000,
    now: given.now ?? (() => new Date()),
    templatesDir:
      'templatesDir' in given ? given.templatesDir : `${region.config.dataDir}/preseeds`,
  };
}
