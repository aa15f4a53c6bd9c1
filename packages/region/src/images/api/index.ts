import type { HandlerDeclaration } from '../../api/index.js';
import { bootSourceAvailableImagesHandler } from './available-images-handlers.js';
import {
  bootResourceHandler,
  bootResourcesHandler,
  bootResourceUploadHandler,
} from './boot-resources-handlers.js';
import { imageImportProgressHandler, imagesSyncProgressHandler } from './sync-progress-handlers.js';

/** Every API handler of the image import, appended to the region's ALL_HANDLERS. */
export const IMAGE_HANDLERS: readonly HandlerDeclaration[] = [
  bootResourcesHandler,
  bootResourceHandler,
  bootResourceUploadHandler,
  imagesSyncProgressHandler,
  imageImportProgressHandler,
  bootSourceAvailableImagesHandler,
];
