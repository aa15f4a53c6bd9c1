import type { RegionContext } from '../region-context.js';
import type { ImageService } from './importer/import-service.js';

/** What the image API runs with: the region's shared context and its one image service. */
export interface ImageContext extends RegionContext {
  readonly images: ImageService;
}
