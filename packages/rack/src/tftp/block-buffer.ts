import type { BufferPool } from './buffer-pool.js';
import { DATA_HEADER_BYTES } from './constants.js';
import { writeDataHeader } from './packet-codec.js';
import type { TftpSource } from './sources.js';

/** Sends one datagram made of [header, payload]; `done` fires once the kernel no longer needs the bytes. */
export type DatagramSender = (parts: readonly Buffer[], done: () => void) => void;

interface Chunk {
  /** Absolute number (1-based, never wrapped) of the chunk's first block. */
  readonly first: number;
  /** Blocks present in the chunk; the last one may be short (or empty) at end of file. */
  readonly blocks: number;
  readonly bytes: number;
  readonly data: Buffer;
  readonly headers: Buffer;
  /** Sends handed to the socket and not yet completed; the chunk cannot be recycled before 0. */
  inflight: number;
  retired: boolean;
}

/**
 * Read-ahead for one transfer: the source is read in chunks of whole blocks, front to back, one
 * read at a time, into pooled buffers. Blocks stay here until acknowledged, so retransmissions never
 * touch the source again, and a chunk is recycled only once every send from it has completed.
 */
export class BlockBuffer {
  readonly #source: TftpSource;
  readonly #blockSize: number;
  readonly #blocksPerChunk: number;
  readonly #pool: BufferPool;
  readonly #onLoaded: () => void;
  readonly #onError: (error: unknown) => void;
  #chunks: Chunk[] = [];
  /** Highest absolute block loaded so far (0 before the first read). */
  #loadedUpTo = 0;
  #finalBlock: number | undefined;
  #loading = false;
  #disposed = false;
  /**
   * Blocks asked of the next read: starts at one and doubles up to blocksPerChunk, so a source
   * whose bytes are still arriving gets block 1 out as soon as it exists, and later reads are large.
   */
  #nextReadBlocks = 1;

  constructor(options: {
    source: TftpSource;
    blockSize: number;
    blocksPerChunk: number;
    pool: BufferPool;
    onLoaded: () => void;
    onError: (error: unknown) => void;
  }) {
    this.#source = options.source;
    this.#blockSize = options.blockSize;
    this.#blocksPerChunk = options.blocksPerChunk;
    this.#pool = options.pool;
    this.#onLoaded = options.onLoaded;
    this.#onError = options.onError;
  }

  /** Absolute number of the last (short or empty) block, once the end of the source was read. */
  get finalBlock(): number | undefined {
    return this.#finalBlock;
  }

  has(block: number): boolean {
    return block <= this.#loadedUpTo;
  }

  /** Starts loading until block `upTo` plus one chunk of read-ahead is buffered. */
  prefetch(upTo: number): void {
    if (this.#loading || this.#disposed || this.#finalBlock !== undefined) return;
    if (this.#loadedUpTo >= upTo + this.#blocksPerChunk) return;
    this.#loading = true;
    void this.#load(upTo);
  }

  async #load(upTo: number): Promise<void> {
    const first = this.#loadedUpTo + 1;
    const wanted = this.#nextReadBlocks * this.#blockSize;
    this.#nextReadBlocks = Math.min(this.#blocksPerChunk, this.#nextReadBlocks * 2);
    const data = this.#pool.take(wanted);
    let bytes: number;
    try {
      bytes = await this.#source.read(data, (first - 1) * this.#blockSize);
    } catch (error) {
      this.#pool.give(data);
      this.#loading = false;
      if (!this.#disposed) this.#onError(error);
      return;
    }
    this.#loading = false;
    if (this.#disposed) {
      this.#pool.give(data);
      return;
    }
    const full = Math.floor(bytes / this.#blockSize);
    const ended = bytes < wanted;
    // A read ending exactly on a block boundary still owes the client an empty final block.
    const blocks = ended ? full + 1 : full;
    const headers = Buffer.allocUnsafe(blocks * DATA_HEADER_BYTES);
    for (let i = 0; i < blocks; i++) writeDataHeader(headers, i * DATA_HEADER_BYTES, first + i);
    this.#chunks.push({ first, blocks, bytes, data, headers, inflight: 0, retired: false });
    this.#loadedUpTo = first + blocks - 1;
    if (ended) this.#finalBlock = this.#loadedUpTo;
    this.#onLoaded();
    this.prefetch(upTo);
  }

  /** Payload length of a loaded block. */
  payloadLength(block: number): number {
    const chunk = this.#chunkOf(block);
    const index = block - chunk.first;
    return Math.min(this.#blockSize, chunk.bytes - index * this.#blockSize);
  }

  /** Hands a loaded block to `send`; returns its payload length. */
  send(block: number, send: DatagramSender): number {
    const chunk = this.#chunkOf(block);
    const index = block - chunk.first;
    const start = index * this.#blockSize;
    const length = Math.min(this.#blockSize, chunk.bytes - start);
    const header = chunk.headers.subarray(
      index * DATA_HEADER_BYTES,
      (index + 1) * DATA_HEADER_BYTES,
    );
    chunk.inflight++;
    send([header, chunk.data.subarray(start, start + length)], () => {
      chunk.inflight--;
      if (chunk.retired && chunk.inflight === 0) this.#pool.give(chunk.data);
    });
    return length;
  }

  /** Drops chunks whose blocks are all acknowledged (up to and including `block`). */
  release(block: number): void {
    for (let chunk = this.#chunks[0]; chunk !== undefined; chunk = this.#chunks[0]) {
      if (chunk.first + chunk.blocks - 1 > block) break;
      this.#chunks.shift();
      this.#retire(chunk);
    }
  }

  dispose(): void {
    this.#disposed = true;
    for (const chunk of this.#chunks) this.#retire(chunk);
    this.#chunks = [];
  }

  #retire(chunk: Chunk): void {
    chunk.retired = true;
    if (chunk.inflight === 0) this.#pool.give(chunk.data);
  }

  #chunkOf(block: number): Chunk {
    for (const chunk of this.#chunks) {
      if (block >= chunk.first && block < chunk.first + chunk.blocks) return chunk;
    }
    throw new RangeError(`Block ${block} is not buffered`);
  }
}
