export { buildRegionApp } from './build-app.js';
export { ensureFirstAdmin, type FirstAdmin } from './first-admin.js';
export { initRegion, type InitResult } from './init-region.js';
export { openRegionDatabase } from './open-region-database.js';
export { startRegion, type RunningRegion, type StartRegionOptions } from './start-region.js';
