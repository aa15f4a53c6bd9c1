export { createLogger, silentLogger, type CreateLoggerOptions } from './create-logger.js';
