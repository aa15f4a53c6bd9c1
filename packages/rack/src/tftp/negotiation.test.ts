import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFile } from './test-client.js';
import { payload, startTestServer, type TestServer, expectSameBytes } from './test-fixtures.js';

/**
 * Whole transfers across block sizes × window sizes × file sizes around block boundaries: the
 * OACK grants what was asked (within limits) and every byte arrives, with one DATA per block.
 */
const BLOCK_SIZES = [8, 512, 1428, 8192, 65464];
const WINDOW_SIZES = [1, 4, 64];
const SHAPES = [
  ['empty', () => 0],
  ['one block exactly', (b: number) => b],
  ['three blocks exactly', (b: number) => 3 * b],
  ['three blocks and a byte', (b: number) => 3 * b + 1],
] as const;

describe('TFTP option negotiation matrix (real transfers)', () => {
  let running: TestServer;
  const files: Record<string, Buffer> = {};
  beforeAll(async () => {
    for (const blockSize of BLOCK_SIZES) {
      for (const [shape, size] of SHAPES) files[`${blockSize}/${shape}`] = payload(size(blockSize));
    }
    running = await startTestServer(files, { timeoutMs: 1000, maxWindowBytes: 64 * 65464 });
  });
  afterAll(async () => {
    await running.server.close();
  });

  const cases = BLOCK_SIZES.flatMap((blockSize) =>
    WINDOW_SIZES.flatMap((windowSize) =>
      SHAPES.map(([shape]) => [blockSize, windowSize, shape] as const),
    ),
  );

  it.each(cases)('blksize %i, windowsize %i, %s', async (blockSize, windowSize, shape) => {
    const expected = files[`${blockSize}/${shape}`]!;
    const result = await fetchFile(running.port, `${blockSize}/${shape}`, {
      options: [
        ['blksize', String(blockSize)],
        ['windowsize', String(windowSize)],
        ['tsize', '0'],
      ],
    });
    const oack = new Map([
      ['blksize', String(blockSize)],
      ['windowsize', String(windowSize)],
    ]);
    if (expected.length > 0) oack.set('tsize', String(expected.length));
    expect(result.oack).toEqual(oack);
    expectSameBytes(result.data, expected);
    expect(result.blocks).toBe(Math.floor(expected.length / blockSize) + 1);
    expect(result.dataPackets).toBe(result.blocks);
  });

  it('falls back to RFC 1350 (no OACK, 512-byte lockstep) when no option is usable', async () => {
    const expected = files['512/three blocks and a byte']!;
    const result = await fetchFile(running.port, '512/three blocks and a byte', {
      options: [
        ['blksize', '4'],
        ['windowsize', '0'],
        ['timeout', '999'],
        ['x-unknown', '1'],
      ],
    });
    expect(result.oack).toBeNull();
    expectSameBytes(result.data, expected);
    expect(result.blocks).toBe(4);
  });
});
