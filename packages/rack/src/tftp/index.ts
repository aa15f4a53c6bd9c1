export { createTftpServer, type TftpServer } from './server.js';
export type {
  TftpClientInfo,
  TftpResolver,
  TftpServerOptions,
  TftpTunables,
} from './server-options.js';
export { DEFAULT_TUNABLES as TFTP_DEFAULT_TUNABLES } from './server-options.js';
export {
  bufferSource,
  emptySource,
  fileHandleSource,
  fileSource,
  streamSource,
  type TftpSource,
} from './sources.js';
export { netasciiSource } from './netascii.js';
export { normaliseTftpPath, type PathDecision } from './path-policy.js';
export { TftpErrorCode } from './constants.js';
export type { TftpStats, TransferResult } from './metrics.js';
