import type { Logger } from 'pino';

export type ShutdownSignal = 'SIGTERM' | 'SIGINT';

/**
 * Runs `stop` once on the first SIGTERM/SIGINT so in-flight work can finish; a second signal
 * while stopping exits at once (an operator pressing Ctrl-C twice means it). Returns a function
 * that removes the handlers again.
 */
export function onShutdownSignals(
  stop: (signal: ShutdownSignal) => Promise<void>,
  logger: Logger,
  signals: readonly ShutdownSignal[] = ['SIGTERM', 'SIGINT'],
): () => void {
  let stopping = false;
  const handler = (signal: ShutdownSignal): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal while shutting down; exiting now');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop(signal).then(
      () => {
        logger.info('stopped');
        process.exitCode ??= 0;
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exitCode = 1;
      },
    );
  };
  // One listener per signal so the name is known however the event is emitted.
  const listeners = signals.map((signal) => [signal, () => handler(signal)] as const);
  for (const [signal, listener] of listeners) process.on(signal, listener);
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}
