import type { RegionModule } from '../api/index.js';
import { maasHandler } from './maas-handler.js';

/** maas/: the MAAS configuration keys Kiln knows. */
export const maasConfigModule: RegionModule = { name: 'maas-config', handlers: [maasHandler] };
