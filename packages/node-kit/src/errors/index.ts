export { AppError, ExternalError, isAppError, type AppErrorOptions } from './app-error.js';
