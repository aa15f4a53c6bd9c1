// Public face of the region's image import: store, importer, schedule, API and file serving.
export { IMAGE_HANDLERS } from './api/index.js';
export { registerImageRoutes } from './register-image-routes.js';
export {
  configureImageService,
  imageServiceFor,
  startImageWork,
  stopImageWork,
  type ImageWorkOptions,
} from './image-services.js';
export { cacheSelectionValidator } from './cache/selection-validator.js';
export { listSourceCache, type CachedImage } from './cache/source-cache.js';
export { ImageService, type ImageServiceOptions } from './importer/import-service.js';
export type { ClusterTransfers } from './importer/sync-files.js';
export type { ImportProgressSnapshot } from './importer/import-progress.js';
export { ImageStore, isSha256 } from './store/image-store.js';
export { serveStoreFile } from './serving/serve-files.js';
export { reconcileStore, type ReconcileResult } from './store/reconcile.js';
export { verifyStore, type VerifyProblem, type VerifyReport } from './store/verify-store.js';
export { unpackBootloader } from './store/unpack-bootloader.js';
export {
  tryAcquireLock,
  renewLock,
  releaseLock,
  lockState,
  IMPORT_LOCK,
} from './importer/import-lock.js';
export { completeOnRegion } from './store/file-syncs.js';
export type { BootResourceRow, BootResourceFileRow, BootResourceSetRow } from './store/tables.js';
export { importStatus, type ImportStatus, type ResourceStatus } from './status/import-status.js';
