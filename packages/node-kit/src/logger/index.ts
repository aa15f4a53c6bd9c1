export {
  createLogger,
  silentLogger,
  wantsPrettyLogs,
  type CreateLoggerOptions,
} from './create-logger.js';
