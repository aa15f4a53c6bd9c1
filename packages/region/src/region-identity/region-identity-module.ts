import type { RegionModule } from '../api/index.js';
import { versionHandler } from './version-handler.js';

/** version/: which MAAS API this region speaks. */
export const regionIdentityModule: RegionModule = {
  name: 'region-identity',
  handlers: [versionHandler],
};
