import type { RemoteInfo, Socket } from 'node:dgram';
import { isAppError } from '@kiln/node-kit';
import { BufferPool } from './buffer-pool.js';
import { Opcode, TftpErrorCode } from './constants.js';
import { TftpMetrics, type TftpStats } from './metrics.js';
import { netasciiSource } from './netascii.js';
import { blockSizeForMtu, negotiateOptions, type NegotiationLimits } from './options.js';
import { decodePacket, encodeError, type RequestPacket } from './packet-codec.js';
import { normaliseTftpPath } from './path-policy.js';
import {
  resolveTunables,
  type ResolvedTunables,
  type TftpServerOptions,
} from './server-options.js';
import { emptySource, type TftpSource } from './sources.js';
import { Transfer } from './transfer.js';
import { bindUdpSocket, createUdpSocket } from './udp-socket.js';

export interface TftpServer {
  address(): { address: string; family: string; port: number };
  stats(): TftpStats;
  /** Stops listening, aborts transfers in progress and releases their sources. */
  close(): Promise<void>;
}

const MODES = new Set(['octet', 'netascii']);

/** Starts a read-only TFTP server; resolves once the listening socket is bound. */
export async function createTftpServer(options: TftpServerOptions): Promise<TftpServer> {
  const tunables = resolveTunables(options);
  const logger = options.logger.child({ module: 'tftp' });
  const metrics = new TftpMetrics(options.registry);
  const pool = new BufferPool(tunables.maxPooledBytes);
  const limits = negotiationLimits(tunables, options.address.includes(':'));
  // Keyed by client address and port: an RRQ resent while its transfer runs is not a new transfer.
  const active = new Map<string, Transfer | 'pending'>();
  let closed = false;

  const listener = createUdpSocket(options.address, tunables.receiveBufferBytes);
  await bindUdpSocket(listener, options.address, options.port);
  listener.on('error', (error) => logger.error({ err: error }, 'TFTP listening socket failed'));

  function reply(rinfo: RemoteInfo, code: TftpErrorCode, message: string): void {
    metrics.errorSent(code);
    if (!closed) listener.send(encodeError(code, message), rinfo.port, rinfo.address);
  }

  listener.on('message', (msg, rinfo) => {
    const packet = decodePacket(msg);
    switch (packet.op) {
      case Opcode.RRQ:
        metrics.requests++;
        void handleRead(packet, rinfo);
        return;
      case Opcode.WRQ:
        metrics.requests++;
        reply(rinfo, TftpErrorCode.ACCESS_VIOLATION, 'This TFTP server is read-only');
        return;
      case 'malformed':
        metrics.requests++;
        reply(rinfo, TftpErrorCode.ILLEGAL_OPERATION, packet.reason);
        return;
      case Opcode.DATA:
      case Opcode.OACK:
        reply(rinfo, TftpErrorCode.ILLEGAL_OPERATION, 'Expected a read request');
        return;
      case Opcode.ACK:
      case Opcode.ERROR:
        return; // Late packets of finished transfers; answering them could start an error ping-pong.
    }
  });

  async function handleRead(request: RequestPacket, rinfo: RemoteInfo): Promise<void> {
    const key = `${rinfo.address}|${rinfo.port}`;
    if (active.has(key)) return;
    if (active.size >= tunables.maxTransfers) {
      reply(rinfo, TftpErrorCode.NOT_DEFINED, 'Server busy, try again');
      return;
    }
    if (!MODES.has(request.mode)) {
      reply(rinfo, TftpErrorCode.ILLEGAL_OPERATION, `Unsupported transfer mode "${request.mode}"`);
      return;
    }
    const decision = normaliseTftpPath(request.filename);
    if (!decision.ok) {
      logger.debug({ client: rinfo.address, filename: request.filename }, 'TFTP request refused');
      reply(rinfo, decision.code, decision.message);
      return;
    }
    active.set(key, 'pending');
    let source: TftpSource | null;
    try {
      source = await lookUp(decision.path, decision.probe, rinfo);
    } catch (error) {
      active.delete(key);
      logger.warn(
        { err: error, path: decision.path, client: rinfo.address },
        'TFTP resolve failed',
      );
      reply(
        rinfo,
        TftpErrorCode.NOT_DEFINED,
        isAppError(error) ? error.message : 'Internal server error',
      );
      return;
    }
    if (source === null) {
      active.delete(key);
      logger.debug({ path: decision.path, client: rinfo.address }, 'TFTP file not found');
      reply(rinfo, TftpErrorCode.FILE_NOT_FOUND, 'File not found');
      return;
    }
    try {
      await startTransfer(
        key,
        request,
        rinfo,
        request.mode === 'netascii' ? netasciiSource(source) : source,
      );
    } catch (error) {
      active.delete(key);
      await closeQuietly(source);
      logger.error({ err: error, client: rinfo.address }, 'TFTP transfer could not start');
      reply(rinfo, TftpErrorCode.NOT_DEFINED, 'Internal server error');
    }
  }

  async function closeQuietly(source: TftpSource): Promise<void> {
    try {
      await source.close?.();
    } catch (error) {
      logger.warn({ err: error }, 'TFTP source close failed');
    }
  }

  async function lookUp(
    path: string,
    probe: boolean,
    rinfo: RemoteInfo,
  ): Promise<TftpSource | null> {
    try {
      const source = await options.resolve(path, { address: rinfo.address, port: rinfo.port });
      return source ?? (probe ? emptySource() : null);
    } catch (error) {
      if (isAppError(error) && error.status === 404) return probe ? emptySource() : null;
      // GRUB treats a failed .lst probe as fatal, an empty one as "no modules listed".
      if (probe) {
        logger.warn({ err: error, path }, 'TFTP resolve failed for a probe; answering empty');
        return emptySource();
      }
      throw error;
    }
  }

  async function startTransfer(
    key: string,
    request: RequestPacket,
    rinfo: RemoteInfo,
    source: TftpSource,
  ) {
    const negotiated = negotiateOptions(request.options, limits, source.size);
    const socket: Socket = createUdpSocket(options.address);
    await bindUdpSocket(socket, options.address, 0);
    if (closed) {
      socket.close();
      await closeQuietly(source);
      active.delete(key);
      return;
    }
    const transfer = new Transfer({
      socket,
      client: { address: rinfo.address, port: rinfo.port },
      source,
      negotiated,
      maxRetries: tunables.maxRetries,
      blocksPerChunk: Math.max(
        negotiated.windowSize,
        Math.ceil(tunables.readAheadBytes / negotiated.blockSize),
      ),
      pool,
      metrics,
      logger: logger.child({ client: rinfo.address, port: rinfo.port }),
      onEnd: (result) => {
        active.delete(key);
        metrics.activeTransfers--;
        metrics.transfers[result]++;
        logger.debug(
          { client: rinfo.address, filename: request.filename, result },
          'TFTP transfer ended',
        );
      },
    });
    active.set(key, transfer);
    metrics.activeTransfers++;
    logger.debug(
      { client: rinfo.address, filename: request.filename, negotiated },
      'TFTP transfer started',
    );
    transfer.start();
  }

  return {
    address() {
      return listener.address();
    },
    stats() {
      return metrics.snapshot();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const transfer of active.values())
        if (transfer !== 'pending') transfer.abort('Server shutting down');
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

function negotiationLimits(tunables: ResolvedTunables, ipv6: boolean): NegotiationLimits {
  const mtuCap =
    tunables.mtu === undefined ? tunables.maxBlockSize : blockSizeForMtu(tunables.mtu, ipv6);
  return {
    maxBlockSize: Math.min(tunables.maxBlockSize, mtuCap),
    maxWindowSize: tunables.maxWindowSize,
    maxWindowBytes: tunables.maxWindowBytes,
    defaultTimeoutMs: tunables.timeoutMs,
  };
}
