export { createRackHttpServer, type RackHttpServer } from './rack-http-server.js';
export { isBootloaderName } from './bootloader-name.js';
export { parseRequestPath } from './request-path.js';
export { parseRange, type RangeResult } from './range-header.js';
export {
  DEFAULT_RACK_HTTP_PORT,
  type BootConfigRenderContext,
  type BootConfigRenderer,
  type BootConfigResponse,
  type BootloaderResolver,
  type BootloaderTarget,
  type RackHttpServerOptions,
} from './types.js';
