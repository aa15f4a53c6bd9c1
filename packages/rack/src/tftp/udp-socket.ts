import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { AppError } from '@kiln/node-kit';

/**
 * Every address the server sends to is an IP literal from a received datagram, so name lookup is
 * the identity. Answering synchronously keeps dgram from deferring each send by a tick.
 */
function literalLookup(
  address: string,
  _family: unknown,
  callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  callback(null, address, isIP(address) === 6 ? 6 : 4);
}

export function createUdpSocket(address: string, receiveBufferBytes?: number): Socket {
  return createSocket({
    type: isIP(address) === 6 ? 'udp6' : 'udp4',
    lookup: literalLookup,
    ...(receiveBufferBytes === undefined ? {} : { recvBufferSize: receiveBufferBytes }),
  });
}

/** Binds and waits for it; bind failures become AppErrors that say what to do about them. */
export function bindUdpSocket(socket: Socket, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      socket.off('listening', onListening);
      socket.close();
      if (error.code === 'EACCES') {
        reject(
          new AppError(
            'TFTP_PORT_PRIVILEGED',
            `Not allowed to bind UDP ${address}:${port}: run as root or grant the capability with ` +
              `"setcap cap_net_bind_service=+ep $(readlink -f $(which node))"`,
            { cause: error, details: { address, port } },
          ),
        );
        return;
      }
      reject(
        new AppError(
          'TFTP_BIND_FAILED',
          `Cannot bind UDP ${address}:${port}: ${error.code ?? error.message}`,
          {
            cause: error,
            details: { address, port },
          },
        ),
      );
    };
    const onListening = (): void => {
      socket.off('error', onError);
      resolve();
    };
    socket.once('error', onError);
    socket.once('listening', onListening);
    socket.bind({ address, port, exclusive: true });
  });
}
