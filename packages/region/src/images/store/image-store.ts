import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, fsyncDirectory, sha256File } from '@kiln/node-kit';

const SHA256 = /^[0-9a-f]{64}$/;

export function isSha256(text: string): boolean {
  return SHA256.test(text);
}

/**
 * The region's content-addressed image store, `<dataDir>/image-storage/`: one flat file per
 * distinct sha256 named by it, `<sha256>.partial` (and node-kit's `.validator.partial`) while
 * bytes arrive, `bootloaders/` for unpacked bootloader archives, `quarantine/` for files that
 * failed `kiln images verify`. Only names that pass `isSha256` are ever built into paths here.
 */
export class ImageStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'image-storage');
  }

  async ensure(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  pathFor(sha256: string): string {
    if (!isSha256(sha256)) throw new AppError('IMAGE_SHA256_INVALID', `Not a sha256: ${sha256}`);
    return join(this.root, sha256);
  }

  partialPath(sha256: string): string {
    return `${this.pathFor(sha256)}.partial`;
  }

  get bootloadersDir(): string {
    return join(this.root, 'bootloaders');
  }

  get quarantineDir(): string {
    return join(this.root, 'quarantine');
  }

  /** Size of the stored (complete) file, or null when absent. */
  async storedSize(sha256: string): Promise<number | null> {
    const info = await stat(this.pathFor(sha256)).catch(() => null);
    return info?.isFile() === true ? info.size : null;
  }

  async partialSize(sha256: string): Promise<number> {
    const info = await stat(this.partialPath(sha256)).catch(() => null);
    return info?.isFile() === true ? info.size : 0;
  }

  /** Renames a verified partial into place and makes the rename durable. */
  async publishPartial(sha256: string): Promise<void> {
    await rename(this.partialPath(sha256), this.pathFor(sha256));
    await fsyncDirectory(this.root);
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathFor(sha256), { force: true });
    await rm(`${this.pathFor(sha256)}.partial`, { force: true });
    await rm(`${this.pathFor(sha256)}.validator.partial`, { force: true });
  }

  async entries(): Promise<string[]> {
    await this.ensure();
    return readdir(this.root);
  }

  /** Bytes used by complete files in the store (they count as reclaimable for a new import). */
  async storedBytes(): Promise<number> {
    let total = 0;
    for (const name of await this.entries()) {
      if (!isSha256(name)) continue;
      total += (await stat(join(this.root, name)).catch(() => null))?.size ?? 0;
    }
    return total;
  }

  async freeBytes(): Promise<number> {
    await this.ensure();
    const info = await statfs(this.root);
    return info.bavail * info.bsize;
  }

  async hash(sha256: string): Promise<{ sha256: string; size: number }> {
    return sha256File(this.pathFor(sha256));
  }

  /** A read stream over a complete file, optionally a byte range (inclusive end). */
  open(sha256: string, range?: { start: number; end: number }) {
    return createReadStream(this.pathFor(sha256), range ?? {});
  }

  async quarantine(sha256: string): Promise<string> {
    await mkdir(this.quarantineDir, { recursive: true });
    const target = join(this.quarantineDir, `${sha256}.${Date.now()}`);
    await rename(this.pathFor(sha256), target);
    return target;
  }
}
