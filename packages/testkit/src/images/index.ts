export { buildImages, type BuildImagesOptions, type BuildImagesResult } from './build-images.js';
export {
  TEST_BOOTLOADER_CONTENT_ID,
  TEST_IMAGE_CONTENT_ID,
  TEST_BROKEN_PRODUCT,
  TEST_IMAGE_PRODUCT,
  testImageManifest,
  type ImageFiles,
} from './stream-manifest.js';
export { runTestkitCli } from './cli.js';
