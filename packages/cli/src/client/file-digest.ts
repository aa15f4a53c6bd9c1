import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { AppError } from '@kiln/node-kit';

/** 4 MiB: the read size for hashing and the chunk size of the upload protocol. */
export const UPLOAD_CHUNK_SIZE = 1 << 22;

export interface FileDigest {
  readonly size: number;
  readonly sha256: string;
}

/** Size and sha256 of a file, read in 4 MiB pieces so images of any size fit in memory. */
export async function digestFile(path: string): Promise<FileDigest> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new AppError('CLI_FILE_UNREADABLE', `Cannot read '${path}': ${reason}`, {
      cause,
    });
  }
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(UPLOAD_CHUNK_SIZE);
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, UPLOAD_CHUNK_SIZE, size);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { size, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

/** Yields consecutive chunks of at most `chunkSize` bytes starting at `offset`. */
export async function* readChunks(
  path: string,
  offset: number,
  chunkSize = UPLOAD_CHUNK_SIZE,
): AsyncGenerator<{ readonly position: number; readonly data: Buffer }> {
  const handle = await open(path, 'r');
  try {
    let position = offset;
    for (;;) {
      const buffer = Buffer.allocUnsafe(chunkSize);
      const { bytesRead } = await handle.read(buffer, 0, chunkSize, position);
      if (bytesRead === 0) return;
      yield { position, data: buffer.subarray(0, bytesRead) };
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
