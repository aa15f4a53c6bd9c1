export {
  serveDirectory,
  type DirectoryServer,
  type Fault,
  type RecordedRequest,
} from './serve-directory.js';
export {
  gpgvVerify,
  makeGpgTestKey,
  makeOpenpgpTestKey,
  writeTempFile,
  type GpgTestKey,
  type TestKey,
} from './test-keys.js';
export {
  BOOTLOADER_CONTENT_ID,
  CENTOS_CONTENT_ID,
  fixtureProducts,
  packageManifest,
  UBUNTU_CONTENT_ID,
  UBUNTU_VERSIONS,
  type FixtureItem,
  type FixtureProduct,
} from './fixture-manifest.js';
export {
  alterSignedByte,
  fixtureBlob,
  makeFixtureStream,
  type FixtureFile,
  type FixtureSigning,
  type FixtureStream,
  type FixtureStreamOptions,
} from './fixture-stream.js';
export { makeLargeProductsDoc } from './large-products-doc.js';
