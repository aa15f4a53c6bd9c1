import type { FastifyInstance } from 'fastify';
import { AppError } from '@kiln/node-kit';

/** Binds the region port, turning the usual failures into a message an operator can act on. */
export async function listenOrExplain(
  app: FastifyInstance,
  host: string,
  port: number,
): Promise<void> {
  try {
    await app.listen({ host, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${host}:${port}`;
    const hint =
      code === 'EADDRINUSE'
        ? 'another process already listens there (another Kiln region?); stop it or set KILN_REGION_PORT / --region-port'
        : code === 'EACCES'
          ? 'ports below 1024 need root or `setcap cap_net_bind_service=+ep $(command -v node)`'
          : code === 'EADDRNOTAVAIL'
            ? 'that address is not configured on this machine; check KILN_LISTEN_ADDRESS'
            : (error as Error).message;
    await app.close();
    throw new AppError('REGION_LISTEN_FAILED', `Cannot listen on ${where}: ${hint}`, {
      cause: error,
    });
  }
}
