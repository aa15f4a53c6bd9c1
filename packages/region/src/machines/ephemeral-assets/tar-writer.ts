import { AppError } from '@kiln/node-kit';

/**
 * A minimal POSIX ustar writer: regular files and directories, names up to 100 bytes, fixed
 * owner and mtime so the same inputs always give the same bytes (and the same sha256). Enough
 * for the scripts bundle; busybox tar and GNU tar both read it.
 */

export interface TarEntry {
  readonly name: string;
  readonly mode: number;
  /** Absent for a directory. */
  readonly content?: Buffer;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(entry: TarEntry, mtime: number): Buffer {
  const name = Buffer.from(entry.name, 'utf8');
  if (name.length === 0 || name.length > 100) {
    throw new AppError(
      'MACHINE_SCRIPTS_BUNDLE_INVALID',
      `Tar entry name '${entry.name}' must be 1-100 bytes.`,
    );
  }
  const block = Buffer.alloc(BLOCK);
  const isDir = entry.content === undefined;
  name.copy(block, 0);
  block.write(octal(entry.mode & 0o7777, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(entry.content?.length ?? 0, 12), 124, 'ascii');
  block.write(octal(mtime, 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write(isDir ? '5' : '0', 156, 'ascii');
  block.write('ustar\u000000', 257, 'ascii');
  block.write('root', 265, 'ascii');
  block.write('root', 297, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

export function writeTar(entries: readonly TarEntry[], mtime = 0): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry, mtime));
    if (entry.content !== undefined && entry.content.length > 0) {
      parts.push(entry.content);
      const pad = (BLOCK - (entry.content.length % BLOCK)) % BLOCK;
      if (pad > 0) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}
