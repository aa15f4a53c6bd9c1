import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '@kiln/node-kit';

/**
 * What the rack's resolver hands the TFTP server for a file: bytes from its cache, a rendered
 * boot config, or a download still in flight. The server reads a source exactly once, front to
 * back, one read at a time (positions only increase and never overlap; retransmissions are served
 * from the server's own window buffers), so a source may be a plain stream.
 */
export interface TftpSource {
  /** Size in bytes when known. Left undefined while a file is still arriving: tsize is then not answered. */
  readonly size?: number | undefined;
  /**
   * Fills `target` with the bytes starting at `position` and resolves with how many were written.
   * Fewer than `target.length` means end of file, so a source whose bytes are still arriving must
   * wait for them rather than return short. Rejecting aborts the transfer with a TFTP error.
   */
  read(target: Buffer, position: number): Promise<number>;
  /** Called once when the transfer ends, however it ends (release a pin, close a handle). */
  close?(): void | Promise<void>;
}

export function bufferSource(data: Uint8Array): TftpSource {
  return {
    size: data.length,
    read(target, position) {
      const end = Math.min(data.length, position + target.length);
      if (end <= position) return Promise.resolve(0);
      target.set(data.subarray(position, end), 0);
      return Promise.resolve(end - position);
    },
  };
}

export function emptySource(): TftpSource {
  return bufferSource(new Uint8Array(0));
}

/**
 * Serves an open file. `size` defaults to nothing (no tsize) so a caller serving a file that
 * is still growing can leave it out; reads loop over short reads so only end of file returns short.
 */
export function fileHandleSource(
  handle: FileHandle,
  options: { size?: number | undefined; closeHandle?: boolean } = {},
): TftpSource {
  return {
    size: options.size,
    async read(target, position) {
      let filled = 0;
      while (filled < target.length) {
        const { bytesRead } = await handle.read(
          target,
          filled,
          target.length - filled,
          position + filled,
        );
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled;
    },
    async close() {
      if (options.closeHandle !== false) await handle.close();
    },
  };
}

/** Opens a complete file on disk; the handle is closed when the transfer ends. */
export async function fileSource(path: string): Promise<TftpSource> {
  const handle = await open(path, 'r');
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new AppError('TFTP_SOURCE_NOT_FILE', `Not a regular file: ${path}`);
    return fileHandleSource(handle, { size: stat.size });
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Serves bytes as an async iterable yields them (a download being relayed into the cache),
 * without holding more than one chunk. `size` is only for tsize and may be unknown.
 */
export function streamSource(chunks: AsyncIterable<Uint8Array>, size?: number): TftpSource {
  const iterator = chunks[Symbol.asyncIterator]();
  let pending: Uint8Array = new Uint8Array(0);
  let consumed = 0;
  let done = false;
  return {
    size,
    async read(target, position) {
      if (position !== consumed) {
        throw new AppError(
          'TFTP_SOURCE_NOT_SEQUENTIAL',
          'A stream source can only be read front to back',
          {
            details: { position, expected: consumed },
          },
        );
      }
      let filled = 0;
      while (filled < target.length) {
        if (pending.length === 0) {
          if (done) break;
          const next = await iterator.next();
          if (next.done === true) {
            done = true;
            break;
          }
          pending = next.value;
          continue;
        }
        const take = Math.min(pending.length, target.length - filled);
        target.set(pending.subarray(0, take), filled);
        pending = pending.subarray(take);
        filled += take;
      }
      consumed += filled;
      return filled;
    },
    async close() {
      if (!done) await iterator.return?.();
    },
  };
}
