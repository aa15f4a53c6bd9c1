import { AppError } from '@kiln/node-kit';
import { BootAnswerSchema, type BootAnswer, type BootRequest } from '@kiln/protocol';
import type { BootPurposeSource } from '../bootconfig/index.js';
import type { RegionApi } from './region-api.js';

/** The region's boot-purpose endpoint (machines/boot-purpose-routes.ts). */
export const BOOT_CONFIG_PATH = 'internal/boot-config/';

/**
 * Asks the region what a machine should boot (MAAS's GetBootConfig). An answer that does not
 * parse is refused rather than rendered: a config line built from it could boot the wrong thing.
 */
export function createRegionBootPurposeSource(api: RegionApi): BootPurposeSource {
  return {
    async lookup(request: BootRequest): Promise<BootAnswer | null> {
      const answer = await api.postJson(BOOT_CONFIG_PATH, request);
      if (answer === null) return null;
      const parsed = BootAnswerSchema.safeParse(answer);
      if (!parsed.success)
        throw new AppError(
          'RACK_BOOT_ANSWER_INVALID',
          `The region sent an invalid boot answer: ${parsed.error.message}`,
        );
      return parsed.data;
    },
  };
}
