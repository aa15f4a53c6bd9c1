import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory, sha256File } from '@kiln/node-kit';
import type { ImageStore } from '../images/index.js';
import { BlobProblem } from './blob-problem.js';
import type { ByteSource } from './byte-sources.js';
import type { PlannedBlob } from './migration-plan.js';

/** Folder inside the image store that start-up reconciliation leaves alone (see reconcile.ts). */
export const STAGING_DIR = 'maas-migration';

export interface CopyOutcome {
  /** `present`: already in the store or staged by an earlier run; nothing was read. */
  readonly result: 'copied' | 'present';
  /** Bytes of an earlier run's partial file that were kept (resume point). */
  readonly resumedFrom: number;
  readonly bytesRead: number;
}

async function sizeOf(path: string): Promise<number | null> {
  const info = await stat(path).catch(() => null);
  return info?.isFile() === true ? info.size : null;
}

/**
 * Verified copies wait in `image-storage/maas-migration/` until the run commits, so neither a
 * region's reconciliation (it deletes store files no row references) nor a failed run can leave
 * half-made state in the store itself. Bytes go to `<sha256>.partial` (appended, so a killed run
 * resumes from its length), are checked for size and sha256, fsynced and renamed to `<sha256>`.
 */
export class Staging {
  readonly dir: string;
  readonly #store: ImageStore;

  constructor(store: ImageStore) {
    this.#store = store;
    this.dir = join(store.root, STAGING_DIR);
  }

  partialPath(sha256: string): string {
    return `${join(this.dir, this.#checked(sha256))}.partial`;
  }

  readyPath(sha256: string): string {
    return join(this.dir, this.#checked(sha256));
  }

  #checked(sha256: string): string {
    return this.#store.pathFor(sha256).slice(this.#store.root.length + 1);
  }

  /** Bytes still to read for `blob` (0 when it is in the store or staged already). */
  async remaining(blob: PlannedBlob): Promise<number> {
    if ((await this.#store.storedSize(blob.sha256)) === blob.size) return 0;
    if ((await sizeOf(this.readyPath(blob.sha256))) === blob.size) return 0;
    const partial = (await sizeOf(this.partialPath(blob.sha256))) ?? 0;
    return partial <= blob.size ? blob.size - partial : blob.size;
  }

  /**
   * Makes `blob` available for publishing: takes a store file of the right size and digest (an
   * earlier run that was interrupted after publishing), a staged file, or copies from `source`.
   */
  async copy(
    blob: PlannedBlob,
    source: ByteSource,
    onBytes: (n: number) => void,
  ): Promise<CopyOutcome> {
    await mkdir(this.dir, { recursive: true });
    if ((await this.#store.storedSize(blob.sha256)) === blob.size) {
      const found = await sha256File(this.#store.pathFor(blob.sha256));
      if (found.sha256 === blob.sha256) return { result: 'present', resumedFrom: 0, bytesRead: 0 };
    }
    if ((await sizeOf(this.readyPath(blob.sha256))) === blob.size)
      return { result: 'present', resumedFrom: 0, bytesRead: 0 };
    const partial = this.partialPath(blob.sha256);
    let offset = (await sizeOf(partial)) ?? 0;
    if (offset > blob.size) {
      await rm(partial, { force: true });
      offset = 0;
    }
    const hash = createHash('sha256');
    if (offset > 0)
      for await (const chunk of createReadStream(partial, { end: offset - 1 }))
        hash.update(chunk as Buffer);
    const handle = await open(partial, 'a');
    let written = offset;
    try {
      await source.read(blob, offset, async (chunk) => {
        if (written + chunk.length > blob.size)
          throw new BlobProblem(
            'too-long',
            blob.sha256,
            `more than the recorded ${blob.size} bytes arrived`,
          );
        await handle.write(chunk, 0, chunk.length);
        hash.update(chunk);
        written += chunk.length;
        onBytes(chunk.length);
      });
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (written !== blob.size)
      throw new BlobProblem(
        'short',
        blob.sha256,
        `${written} of ${blob.size} bytes arrived from ${source.description}`,
      );
    const digest = hash.digest('hex');
    if (digest !== blob.sha256) {
      await rm(partial, { force: true });
      throw new BlobProblem(
        'digest',
        blob.sha256,
        `the bytes hash to ${digest}, not to the recorded sha256 ${blob.sha256}`,
      );
    }
    await rename(partial, this.readyPath(blob.sha256));
    await fsyncDirectory(this.dir);
    return { result: 'copied', resumedFrom: offset, bytesRead: written - offset };
  }

  /** Moves a staged file into the store (same file system: an atomic rename). */
  async publish(sha256: string): Promise<void> {
    const ready = this.readyPath(sha256);
    if ((await sizeOf(ready)) === null) return;
    await rename(ready, this.#store.pathFor(sha256));
  }

  async syncStore(): Promise<void> {
    await fsyncDirectory(this.#store.root);
  }
}
