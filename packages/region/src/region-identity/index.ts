export { ensureRegionIdentity } from './region-identity.js';
export { getOrCreateRackSecret } from './rack-secret.js';
