import type { Socket, RemoteInfo } from 'node:dgram';
import type { Logger } from 'pino';
import { BlockBuffer } from './block-buffer.js';
import type { BufferPool } from './buffer-pool.js';
import { BLOCK_MODULO, Opcode, TftpErrorCode } from './constants.js';
import type { TftpMetrics, TransferResult } from './metrics.js';
import type { NegotiatedOptions } from './options.js';
import { decodePacket, encodeError, encodeOack } from './packet-codec.js';
import type { TftpSource } from './sources.js';

export interface TransferOptions {
  /** A socket of its own, bound to a fresh port: the server's transfer ID (RFC 1350 §4). */
  readonly socket: Socket;
  readonly client: { readonly address: string; readonly port: number };
  readonly source: TftpSource;
  readonly negotiated: NegotiatedOptions;
  readonly maxRetries: number;
  readonly blocksPerChunk: number;
  readonly pool: BufferPool;
  readonly metrics: TftpMetrics;
  readonly logger: Logger;
  readonly onEnd: (result: TransferResult) => void;
}

/**
 * One read transfer: optional OACK, then DATA in windows of `windowSize` blocks (1 = RFC 1350
 * lockstep). Blocks are numbered absolutely inside (1, 2, ... past 65535) and wrapped to 16 bits
 * only on the wire. An ACK of block n acknowledges everything up to n; the next window then starts
 * at n + 1, so an ACK from the middle of a window (the client saw a gap) resends from there.
 * Duplicate and stale ACKs are ignored: only timeouts trigger retransmission, which is what keeps
 * the Sorcerer's Apprentice bug away.
 */
export class Transfer {
  readonly #o: TransferOptions;
  readonly #blocks: BlockBuffer;
  readonly #windowSize: number;
  readonly #timer: NodeJS.Timeout;
  #phase: 'oack' | 'data' | 'done';
  #lastAcked = 0;
  #lastSent = 0;
  #highestSent = 0;
  #retries = 0;
  readonly #sendDatagram: (parts: readonly Buffer[], done: () => void) => void;

  constructor(options: TransferOptions) {
    this.#o = options;
    this.#windowSize = options.negotiated.windowSize;
    this.#phase = options.negotiated.acknowledged.length > 0 ? 'oack' : 'data';
    this.#blocks = new BlockBuffer({
      source: options.source,
      blockSize: options.negotiated.blockSize,
      blocksPerChunk: options.blocksPerChunk,
      pool: options.pool,
      onLoaded: () => this.#pump(),
      onError: (error) => this.#sourceFailed(error),
    });
    this.#timer = setTimeout(() => this.#timeout(), options.negotiated.timeoutMs);
    const { socket, client, metrics } = options;
    this.#sendDatagram = (parts, done) => {
      metrics.packetsSent++;
      socket.send(parts as Buffer[], client.port, client.address, done);
    };
    socket.on('message', (msg, rinfo) => this.#onMessage(msg, rinfo));
    socket.on('error', (error) => {
      this.#o.logger.warn({ err: error }, 'TFTP transfer socket failed');
      this.#end('failed');
    });
  }

  start(): void {
    // Read ahead while the OACK is out, so block 1 is ready when ACK 0 comes back.
    this.#blocks.prefetch(this.#windowSize);
    if (this.#phase === 'oack') this.#sendOack();
    else this.#pump();
  }

  /** Ends the transfer from outside (server shutdown), telling the client why. */
  abort(message: string): void {
    if (this.#phase === 'done') return;
    this.#sendError(TftpErrorCode.NOT_DEFINED, message);
    this.#end('shutdown');
  }

  #onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    const { client, socket } = this.#o;
    if (rinfo.port !== client.port || rinfo.address !== client.address) {
      // RFC 1350: a packet from another TID gets an error and must not disturb this transfer.
      this.#o.metrics.errorSent(TftpErrorCode.UNKNOWN_TID);
      socket.send(
        encodeError(TftpErrorCode.UNKNOWN_TID, 'Unknown transfer ID'),
        rinfo.port,
        rinfo.address,
      );
      return;
    }
    if (this.#phase === 'done') return;
    const packet = decodePacket(msg);
    switch (packet.op) {
      case Opcode.ACK:
        this.#onAck(packet.block);
        return;
      case Opcode.ERROR:
        this.#o.logger.debug(
          { code: packet.code, message: packet.message },
          'TFTP client ended the transfer',
        );
        this.#end('aborted');
        return;
      case 'malformed':
        return; // Noise from the right peer is ignored; the timeout covers any real loss.
      case Opcode.RRQ:
      case Opcode.WRQ:
      case Opcode.DATA:
      case Opcode.OACK:
        this.#sendError(
          TftpErrorCode.ILLEGAL_OPERATION,
          'Illegal TFTP operation during a read transfer',
        );
        this.#end('failed');
        return;
    }
  }

  #onAck(wireBlock: number): void {
    if (this.#phase === 'oack') {
      if (wireBlock !== 0) return;
      this.#phase = 'data';
      this.#retries = 0;
      this.#timer.refresh();
      this.#pump();
      return;
    }
    const ahead = (wireBlock - (this.#lastAcked % BLOCK_MODULO) + BLOCK_MODULO) % BLOCK_MODULO;
    if (ahead === 0 || ahead > this.#lastSent - this.#lastAcked) return; // duplicate or stale
    this.#lastAcked += ahead;
    this.#retries = 0;
    this.#blocks.release(this.#lastAcked);
    if (this.#lastAcked === this.#blocks.finalBlock) {
      this.#end('completed');
      return;
    }
    // Blocks after n that were already sent are resent: the client dropped everything past its gap.
    this.#lastSent = this.#lastAcked;
    this.#timer.refresh();
    this.#pump();
  }

  #pump(): void {
    if (this.#phase !== 'data') return;
    const limit = this.#lastAcked + this.#windowSize;
    this.#blocks.prefetch(limit);
    const final = this.#blocks.finalBlock;
    while (this.#lastSent < limit) {
      const next = this.#lastSent + 1;
      if ((final !== undefined && next > final) || !this.#blocks.has(next)) break;
      this.#o.metrics.bytesSent += this.#blocks.send(next, this.#sendDatagram);
      this.#lastSent = next;
      if (next <= this.#highestSent) this.#o.metrics.retransmissions++;
      else this.#highestSent = next;
    }
  }

  #timeout(): void {
    if (this.#phase === 'done') return;
    if (++this.#retries > this.#o.maxRetries) {
      this.#o.logger.debug({ client: this.#o.client }, 'TFTP transfer timed out');
      this.#sendError(TftpErrorCode.NOT_DEFINED, 'Transfer timed out');
      this.#end('timeout');
      return;
    }
    this.#timer.refresh();
    if (this.#phase === 'oack') {
      this.#o.metrics.retransmissions++;
      this.#sendOack();
      return;
    }
    this.#lastSent = this.#lastAcked;
    this.#pump();
  }

  #sendOack(): void {
    this.#o.socket.send(
      encodeOack(this.#o.negotiated.acknowledged),
      this.#o.client.port,
      this.#o.client.address,
    );
  }

  #sendError(code: TftpErrorCode, message: string): void {
    this.#o.metrics.errorSent(code);
    this.#o.socket.send(encodeError(code, message), this.#o.client.port, this.#o.client.address);
  }

  #sourceFailed(error: unknown): void {
    if (this.#phase === 'done') return;
    this.#o.logger.warn({ err: error, client: this.#o.client }, 'TFTP source read failed');
    this.#sendError(TftpErrorCode.NOT_DEFINED, 'Error reading file');
    this.#end('failed');
  }

  #end(result: TransferResult): void {
    if (this.#phase === 'done') return;
    this.#phase = 'done';
    clearTimeout(this.#timer);
    this.#blocks.dispose();
    // Closing after queued sends: dgram flushes what was handed to it before the handle closes.
    this.#o.socket.close();
    Promise.resolve(this.#o.source.close?.()).catch((error: unknown) => {
      this.#o.logger.warn({ err: error }, 'TFTP source close failed');
    });
    this.#o.onEnd(result);
  }
}
