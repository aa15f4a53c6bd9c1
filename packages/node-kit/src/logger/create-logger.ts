import { pino, type DestinationStream, type Logger } from 'pino';

export interface CreateLoggerOptions {
  readonly level?: string;
  readonly name?: string;
  /** Where to write; stdout when absent. Tests pass a stream to inspect the lines. */
  readonly destination?: DestinationStream;
}

/**
 * The root logger of a process: JSON lines, secrets redacted. Callers derive
 * `logger.child({ module })` from it; nothing imports a global logger.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? 'info',
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.token_secret',
        '*.rackSecret',
        '*.databaseUrl',
      ],
      censor: '[redacted]',
    },
    ...(options.name === undefined ? {} : { name: options.name }),
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

/** A logger that drops everything: for tests and library callers that pass none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
