import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import type { ImageStore } from './image-store.js';

interface RunningHash {
  readonly hash: Hash;
  offset: number;
}

/**
 * Appends upload chunks to `<sha256>.partial`, hashing as they arrive. The running hash lives in
 * memory; after a restart (or when chunks came through another process) it is rebuilt from the
 * partial's bytes once, so an interrupted upload continues from its last chunk. Calls for one
 * sha256 must be serialised by the caller.
 */
export class UploadWriter {
  readonly #store: ImageStore;
  readonly #hashes = new Map<string, RunningHash>();

  constructor(store: ImageStore) {
    this.#store = store;
  }

  async #hashAt(sha256: string, offset: number): Promise<RunningHash> {
    const known = this.#hashes.get(sha256);
    if (known?.offset === offset) return known;
    const hash = createHash('sha256');
    if (offset > 0) {
      for await (const chunk of createReadStream(this.#store.partialPath(sha256), {
        end: offset - 1,
      }))
        hash.update(chunk as Buffer);
    }
    const fresh = { hash, offset };
    this.#hashes.set(sha256, fresh);
    return fresh;
  }

  /** Appends `data` at the current end of the partial and returns the new length (fsynced). */
  async append(sha256: string, data: Buffer): Promise<number> {
    await this.#store.ensure();
    const offset = await this.#store.partialSize(sha256);
    const running = await this.#hashAt(sha256, offset);
    const handle = await open(this.#store.partialPath(sha256), 'a');
    try {
      await handle.write(data, 0, data.length);
      await handle.sync();
    } finally {
      await handle.close();
    }
    running.hash.update(data);
    running.offset = offset + data.length;
    return running.offset;
  }

  /** sha256 of the whole partial (from the running hash when it is current). */
  async digest(sha256: string, length: number): Promise<string> {
    const running = await this.#hashAt(sha256, length);
    this.#hashes.delete(sha256);
    return running.hash.digest('hex');
  }

  async discard(sha256: string): Promise<void> {
    this.#hashes.delete(sha256);
    await rm(this.#store.partialPath(sha256), { force: true });
  }
}
