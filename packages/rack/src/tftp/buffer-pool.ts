/**
 * Recycles read-ahead buffers between transfers. A boot storm is hundreds of transfers of the
 * same few block sizes; reusing their buffers keeps allocation and GC out of the hot path.
 * Buffers are pooled by exact size, up to a byte budget; beyond it they are left to the GC.
 */
export class BufferPool {
  readonly #free = new Map<number, Buffer[]>();
  readonly #maxPooledBytes: number;
  #pooledBytes = 0;

  constructor(maxPooledBytes: number) {
    this.#maxPooledBytes = maxPooledBytes;
  }

  take(size: number): Buffer {
    const list = this.#free.get(size);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.#pooledBytes -= size;
      return reused;
    }
    // Slow (unpooled) allocation: these buffers are large and long-lived, not slab material.
    return Buffer.allocUnsafeSlow(size);
  }

  give(buffer: Buffer): void {
    if (this.#pooledBytes + buffer.length > this.#maxPooledBytes) return;
    let list = this.#free.get(buffer.length);
    if (list === undefined) {
      list = [];
      this.#free.set(buffer.length, list);
    }
    list.push(buffer);
    this.#pooledBytes += buffer.length;
  }

  get pooledBytes(): number {
    return this.#pooledBytes;
  }
}
