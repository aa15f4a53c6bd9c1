import type { HandlerDeclaration } from '../../api/index.js';
import { bootSourceAvailableImagesHandler } from './available-images-handlers.js';
import {
  bootResourceHandler,
  bootResourcesHandler,
  bootResourceUploadHandler,
} from './boot-resources-handlers.js';
import { imageImportProgressHandler, imagesSyncProgressHandler } from './sync-progress-handlers.js';
import type { ImageContext } from '../image-context.js';

/** Every API handler of the image import (the images module binds them to its ImageContext). */
export const IMAGE_HANDLERS: readonly HandlerDeclaration<ImageContext>[] = [
  bootResourcesHandler,
  bootResourceHandler,
  bootResourceUploadHandler,
  imagesSyncProgressHandler,
  imageImportProgressHandler,
  bootSourceAvailableImagesHandler,
];
