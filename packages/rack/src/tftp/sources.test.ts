import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netasciiSource } from './netascii.js';
import { bufferSource, fileSource, streamSource, type TftpSource } from './sources.js';

/** Reads a source the way the server does: front to back in fixed-size pieces. */
async function drain(source: TftpSource, piece: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let position = 0;
  for (;;) {
    const target = Buffer.alloc(piece);
    const count = await source.read(target, position);
    parts.push(target.subarray(0, count));
    position += count;
    if (count < piece) return Buffer.concat(parts);
  }
}

describe('TFTP sources', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-tftp-src-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves a buffer at any offset', async () => {
    const source = bufferSource(Buffer.from('0123456789'));
    expect(source.size).toBe(10);
    expect(await drain(source, 3)).toEqual(Buffer.from('0123456789'));
    expect(await source.read(Buffer.alloc(4), 20)).toBe(0);
  });

  it('serves a file with its size and closes the handle', async () => {
    const path = join(dir, 'f');
    const data = Buffer.alloc(10_000, 7);
    await writeFile(path, data);
    const source = await fileSource(path);
    expect(source.size).toBe(10_000);
    expect(await drain(source, 4096)).toEqual(data);
    await source.close?.();
  });

  it('refuses a directory as a file', async () => {
    await mkdir(join(dir, 'd'));
    await expect(fileSource(join(dir, 'd'))).rejects.toMatchObject({
      code: 'TFTP_SOURCE_NOT_FILE',
    });
  });

  it('serves a stream as its chunks arrive, whatever their sizes', async () => {
    async function* arriving(): AsyncGenerator<Uint8Array> {
      for (const size of [1, 700, 0, 3, 1500]) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        yield Buffer.alloc(size, size % 251);
      }
    }
    const expected = Buffer.concat(
      [1, 700, 0, 3, 1500].map((size) => Buffer.alloc(size, size % 251)),
    );
    const source = streamSource(arriving());
    expect(source.size).toBeUndefined();
    expect(await drain(source, 512)).toEqual(expected);
  });

  it('refuses to read a stream out of order', async () => {
    async function* once(): AsyncGenerator<Uint8Array> {
      yield await Promise.resolve(Buffer.from('abc'));
    }
    const source = streamSource(once());
    await expect(source.read(Buffer.alloc(2), 1)).rejects.toMatchObject({
      code: 'TFTP_SOURCE_NOT_SEQUENTIAL',
    });
  });

  it.each([1, 2, 3, 512])(
    'converts to netascii (LF → CR LF, CR → CR NUL) in %i-byte reads',
    async (piece) => {
      const source = netasciiSource(bufferSource(Buffer.from('a\nb\rc\r\n\n')), 4);
      expect(source.size).toBeUndefined();
      expect(await drain(source, piece)).toEqual(Buffer.from('a\r\nb\r\0c\r\0\r\n\r\n', 'latin1'));
    },
  );
});
