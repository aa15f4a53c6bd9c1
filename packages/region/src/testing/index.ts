export {
  startTestRegion,
  type StartTestRegionOptions,
  type TestRegion,
} from './start-test-region.js';
export { apiFetch, formBody, oauthHeader, type SignOptions } from './maas-client.js';
export { describeRegion } from './describe-region.js';
export { metadataClient } from './metadata-client.js';
export { insertBootResourceFile, type BootResourceRow } from './boot-resource-rows.js';
export {
  createMaasFixture,
  createTableOnlyRole,
  fixtureBytes,
  toMidExport,
  JAMMY_SUBARCHES,
  type MaasFixture,
  type MaasFixtureOptions,
} from '../maas-migration/testing/maas-fixture.js';
export { insertCompleteImage } from './complete-image.js';
