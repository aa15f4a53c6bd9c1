export {
  AppError,
  ExternalError,
  isAppError,
  type AppErrorOptions,
  type RelayedErrorOptions,
} from './app-error.js';
