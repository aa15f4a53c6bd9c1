export { ensureRegionIdentity } from './region-identity.js';
export { getOrCreateRackSecret } from './rack-secret.js';
export { checkRackSecret } from './check-rack-secret.js';
export {
  beatRegion,
  startRegionHeartbeat,
  REGION_HEARTBEAT_INTERVAL_MS,
  type RegionHeartbeatOptions,
} from './region-heartbeat.js';
export type { RegionHeartbeatRow } from './tables.js';
