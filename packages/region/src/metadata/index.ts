export { registerMetadataRoutes, METADATA_VERSIONS } from './metadata-routes.js';
export { decodeUserData } from './user-data.js';
export { SIGNAL_STATUSES } from './signal.js';
export { createMetadataModule } from './metadata-module.js';
