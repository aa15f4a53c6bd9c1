import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { BLOCK_MODULO, Opcode } from './constants.js';
import {
  decodePacket,
  encodeAck,
  encodeRequest,
  type MalformedPacket,
  type TftpPacket,
} from './packet-codec.js';

/**
 * A TFTP client for tests only: a raw peer that scripts packets one by one, and `fetchFile`, an
 * RFC 7440 client with fault injection (dropped and duplicated packets, silence). Not exported
 * from the package: it exists to exercise the server the way misbehaving networks do.
 */

export interface Received {
  readonly packet: TftpPacket | MalformedPacket;
  readonly rinfo: RemoteInfo;
}

export class TestPeer {
  readonly #socket: Socket;
  readonly #queue: Received[] = [];
  readonly #waiters: ((received: Received) => void)[] = [];

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (msg, rinfo) => {
      const received = { packet: decodePacket(msg), rinfo };
      const waiter = this.#waiters.shift();
      if (waiter === undefined) this.#queue.push(received);
      else waiter(received);
    });
  }

  static async open(): Promise<TestPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new TestPeer(socket);
  }

  get port(): number {
    return this.#socket.address().port;
  }

  readonly #sending = new Set<Promise<void>>();

  send(packet: Buffer, port: number): void {
    const sent = new Promise<void>((resolve) => {
      this.#socket.send(packet, port, '127.0.0.1', () => resolve());
    });
    this.#sending.add(sent);
    void sent.then(() => this.#sending.delete(sent));
  }

  /** Next packet, or null when none arrives within `waitMs`. */
  next(waitMs: number): Promise<Received | null> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const waiter = (received: Received): void => {
        clearTimeout(timer);
        resolve(received);
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        resolve(null);
      }, waitMs);
      this.#waiters.push(waiter);
    });
  }

  async expect(waitMs = 5000): Promise<Received> {
    const received = await this.next(waitMs);
    if (received === null) throw new Error(`No packet within ${waitMs} ms`);
    return received;
  }

  /** Closes once queued sends are out: a closing socket would cancel them. */
  async close(): Promise<void> {
    await Promise.all(this.#sending);
    this.#socket.close();
  }
}

export interface FetchFaults {
  /** Drop the `attempt`-th arrival (1-based) of absolute block `block`. */
  readonly dropData?: (block: number, attempt: number) => boolean;
  /** Drop the `attempt`-th ACK sent for absolute block `block`. */
  readonly dropAck?: (block: number, attempt: number) => boolean;
  /** Send every ACK twice. */
  readonly duplicateAcks?: boolean;
}

export interface FetchResult {
  readonly data: Buffer;
  readonly oack: ReadonlyMap<string, string> | null;
  /** Every DATA packet that arrived, duplicates and dropped ones included. */
  readonly dataPackets: number;
  readonly blocks: number;
}

/** Fetches `name` like an RFC 7440 client; rejects on ERROR or after `retries` silent waits. */
export async function fetchFile(
  serverPort: number,
  name: string,
  options: {
    options?: [string, string][];
    faults?: FetchFaults;
    waitMs?: number;
    retries?: number;
  } = {},
): Promise<FetchResult> {
  const peer = await TestPeer.open();
  const faults = options.faults ?? {};
  const arrivals = new Map<number, number>();
  const ackCounts = new Map<number, number>();
  const chunks: Buffer[] = [];
  let oack: ReadonlyMap<string, string> | null = null;
  let blockSize = 512;
  let windowSize = 1;
  let tid: number | undefined;
  let received = 0; // absolute number of the last in-order block
  let inWindow = 0;
  let dataPackets = 0;
  let silent = 0;

  const ack = (block: number): void => {
    const attempt = (ackCounts.get(block) ?? 0) + 1;
    ackCounts.set(block, attempt);
    const packet = encodeAck(block % BLOCK_MODULO);
    inWindow = 0;
    if (faults.dropAck?.(block, attempt) === true || tid === undefined) return;
    peer.send(packet, tid);
    if (faults.duplicateAcks === true) peer.send(packet, tid);
  };

  try {
    peer.send(encodeRequest(Opcode.RRQ, name, 'octet', options.options ?? []), serverPort);
    for (;;) {
      const got = await peer.next(options.waitMs ?? 2000);
      if (got === null) {
        if (++silent > (options.retries ?? 5)) throw new Error('Server went silent');
        // RFC 7440: on a timeout the receiver acknowledges the last block it has in order.
        if (tid !== undefined) ack(received);
        continue;
      }
      silent = 0;
      tid ??= got.rinfo.port;
      if (got.rinfo.port !== tid) continue;
      const { packet } = got;
      if (packet.op === Opcode.ERROR)
        throw new Error(`TFTP error ${packet.code}: ${packet.message}`);
      if (packet.op === Opcode.OACK && received === 0) {
        oack = packet.options;
        blockSize = Number(oack.get('blksize') ?? 512);
        windowSize = Number(oack.get('windowsize') ?? 1);
        ack(0);
        continue;
      }
      if (packet.op !== Opcode.DATA) throw new Error(`Unexpected packet ${String(packet.op)}`);
      dataPackets++;
      const offset = (packet.block - ((received + 1) % BLOCK_MODULO) + BLOCK_MODULO) % BLOCK_MODULO;
      const block = received + 1 + (offset < BLOCK_MODULO / 2 ? offset : offset - BLOCK_MODULO);
      const attempt = (arrivals.get(block) ?? 0) + 1;
      arrivals.set(block, attempt);
      if (faults.dropData?.(block, attempt) === true) continue;
      if (block !== received + 1) {
        // A gap or an old block: tell the server where we are so it resends from there.
        ack(received);
        continue;
      }
      received = block;
      chunks.push(Buffer.from(packet.data));
      inWindow++;
      const last = packet.data.length < blockSize;
      if (last || inWindow >= windowSize) ack(received);
      if (last) return { data: Buffer.concat(chunks), oack, dataPackets, blocks: received };
    }
  } finally {
    await peer.close();
  }
}
