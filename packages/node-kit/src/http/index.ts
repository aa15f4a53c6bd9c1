export { backoffDelay, sleep, type RetryPolicy } from './backoff.js';
export {
  downloadFile,
  type DownloadOptions,
  type DownloadProgress,
  type DownloadResult,
} from './download-file.js';
export { fetchBytes, type FetchBytesOptions } from './fetch-bytes.js';
export { openRequest, type OpenRequestOptions, type OpenResponse } from './open-request.js';
export { isNoProxy, proxyForUrl, type ProxyEnv } from './proxy.js';
