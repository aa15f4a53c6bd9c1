export {
  startRegion,
  openRegionDatabase,
  initRegion,
  ensureFirstAdmin,
  buildRegionApp,
  type RunningRegion,
  type StartRegionOptions,
  type FirstAdmin,
  type InitResult,
} from './server/index.js';
export { createAdmin, type AdminDetails } from './users/index.js';
export { createApiKey, formatApiKey, listApiKeys, revokeApiKey } from './auth/index.js';
export { getOrCreateRackSecret, ensureRegionIdentity } from './region-identity/index.js';
export { recordEvent, type NewEvent, type EventLevelName } from './events/index.js';
export { setSystemNotification, clearSystemNotification } from './notifications/index.js';
export {
  acceptAllSelections,
  type SelectionValidator,
  type SelectionCandidate,
} from './boot-sources/index.js';
export type { RegionContext } from './region-context.js';
export type { RegionDatabase, DialectName, Database } from './db/index.js';
export type { HandlerDeclaration, ActionDeclaration, FieldSpec } from './api/index.js';
export * from './images/index.js';
export * from './machines/index.js';
export * from './maas-migration/index.js';
