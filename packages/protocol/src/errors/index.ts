export type { ErrorSpec } from './error-spec.js';
export {
  ERROR_GROUPS,
  ERROR_REGISTRY,
  errorStatus,
  isErrorCode,
  type ErrorCode,
  type RelayedStatusCode,
} from './error-registry.js';
