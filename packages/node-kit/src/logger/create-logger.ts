import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { LogFormat } from '../config/index.js';

export interface CreateLoggerOptions {
  readonly level?: string;
  readonly name?: string;
  /** auto (the default): readable lines when stdout is a terminal, JSON lines otherwise. */
  readonly format?: LogFormat;
  /** Where to write; stdout when absent. Tests pass a stream to inspect the lines. */
  readonly destination?: DestinationStream;
}

/** Whether a process writing to stdout should print readable lines rather than JSON. */
export function wantsPrettyLogs(format: LogFormat, stdoutIsTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTerminal);
}

/**
 * The root logger of a process: JSON lines (or, for a person at a terminal, pino-pretty's
 * readable lines), secrets redacted. Callers derive `logger.child({ module })` from it; nothing
 * imports a global logger.
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
  const pretty = wantsPrettyLogs(
    options.format ?? 'json',
    options.destination === undefined && process.stdout.isTTY,
  );
  if (pretty)
    return pino(
      settings,
      // Synchronous, so the last lines before an exit are not lost; colours only on a terminal.
      PinoPretty({
        sync: true,
        colorize: options.destination === undefined && process.stdout.isTTY,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,name',
        ...(options.destination === undefined
          ? {}
          : { destination: options.destination as unknown as NodeJS.WritableStream }),
      }),
    );
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

/** A logger that drops everything: for tests and library callers that pass none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
