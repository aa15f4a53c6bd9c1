import { isAppError } from '@kiln/node-kit';
import type { Logger } from 'pino';

export const PRIVILEGE_HINT =
  'run Kiln as root, or allow node to bind low ports: sudo setcap cap_net_bind_service=+ep "$(readlink -f "$(which node)")"';

/**
 * Starts one service; when its port cannot be bound the service stays off and the rest of the
 * rack keeps running (DESIGN: a privileged port that cannot be bound logs how to allow it).
 */
export async function listenOrExplain<T>(
  what: string,
  port: number,
  logger: Logger,
  start: () => Promise<T>,
): Promise<{ readonly value: T | null; readonly problem: string | null }> {
  try {
    return { value: await start(), problem: null };
  } catch (error) {
    const code = isAppError(error)
      ? error.code
      : ((error as NodeJS.ErrnoException).code ?? 'UNKNOWN');
    const privileged = code === 'EACCES' || code === 'TFTP_PORT_PRIVILEGED';
    const problem = privileged
      ? `${what} could not bind port ${port} (permission denied): ${PRIVILEGE_HINT}`
      : `${what} could not bind port ${port}: ${(error as Error).message}`;
    logger.error(
      { err: error, port, service: what, code: 'RACK_SERVICE_OFF' },
      `${problem}; ${what} stays off, the rest of the rack runs`,
    );
    return { value: null, problem };
  }
}
