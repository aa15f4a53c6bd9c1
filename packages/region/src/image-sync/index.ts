// Public face of multi-region image sync (issue 12, docs/decisions/0007): transfer jobs with
// leases, region membership in readiness, region-to-region copies.
export { ImageSync, TRANSFER_CHANNEL, type ImageSyncOptions } from './sync-engine.js';
export {
  TransferQueue,
  type ClaimedJob,
  type Lease,
  type TransferQueueOptions,
  type UpstreamFile,
} from './transfer-queue.js';
export { registerPeerRoutes, PEER_FILES_PATH, type PeerRouteDeps } from './peer-routes.js';
export { getOrCreatePeerSecret, signPeerRequest, verifyPeerRequest } from './peer-auth.js';
export {
  forgetRegion,
  readyFileShas,
  refreshMembership,
  registerRegion,
  beatRegionSync,
} from './membership.js';
export { SyncMetrics } from './sync-metrics.js';
export { dbNowMs, readDbNow } from './db-time.js';
export type { TransferJobRow, RegionSyncStateRow, TransferKind, TransferState } from './tables.js';
