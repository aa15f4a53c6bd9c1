import { describe, expect, it } from 'vitest';
import { blockSizeForMtu, negotiateOptions, type NegotiationLimits } from './options.js';

const limits: NegotiationLimits = {
  maxBlockSize: 65464,
  maxWindowSize: 64,
  maxWindowBytes: 1024 * 1024,
  defaultTimeoutMs: 1000,
};

const negotiate = (
  options: Record<string, string>,
  size: number | undefined = 10_000,
  l = limits,
) => negotiateOptions(new Map(Object.entries(options)), l, size);

describe('option negotiation', () => {
  it.each([
    // [requested, blockSize, windowSize, timeoutMs, OACK]
    [{}, 512, 1, 1000, []],
    [{ blksize: '1468' }, 1468, 1, 1000, [['blksize', '1468']]],
    [{ blksize: '8' }, 8, 1, 1000, [['blksize', '8']]],
    [{ blksize: '65464' }, 65464, 1, 1000, [['blksize', '65464']]],
    [{ blksize: '70000' }, 65464, 1, 1000, [['blksize', '65464']]],
    [{ blksize: '7' }, 512, 1, 1000, []],
    [{ blksize: '0' }, 512, 1, 1000, []],
    [{ blksize: '-1' }, 512, 1, 1000, []],
    [{ blksize: '1e3' }, 512, 1, 1000, []],
    [{ blksize: '' }, 512, 1, 1000, []],
    [{ tsize: '0' }, 512, 1, 1000, [['tsize', '10000']]],
    [{ tsize: 'x' }, 512, 1, 1000, []],
    [{ timeout: '1' }, 512, 1, 1000, [['timeout', '1']]],
    [{ timeout: '255' }, 512, 1, 255_000, [['timeout', '255']]],
    [{ timeout: '0' }, 512, 1, 1000, []],
    [{ timeout: '256' }, 512, 1, 1000, []],
    [{ windowsize: '16' }, 512, 16, 1000, [['windowsize', '16']]],
    [{ windowsize: '1' }, 512, 1, 1000, [['windowsize', '1']]],
    [{ windowsize: '64' }, 512, 64, 1000, [['windowsize', '64']]],
    [{ windowsize: '65535' }, 512, 64, 1000, [['windowsize', '64']]],
    [{ windowsize: '0' }, 512, 1, 1000, []],
    [{ windowsize: '65536' }, 512, 1, 1000, []],
    [{ multicast: '', rollover: '0' }, 512, 1, 1000, []],
    [
      { windowsize: '16', tsize: '0', blksize: '1468', timeout: '3', utimeout: '5000' },
      1468,
      16,
      3000,
      [
        ['windowsize', '16'],
        ['tsize', '10000'],
        ['blksize', '1468'],
        ['timeout', '3'],
      ],
    ],
    [
      { blksize: '65464', windowsize: '64' },
      65464,
      16,
      1000,
      [
        ['blksize', '65464'],
        ['windowsize', '16'],
      ],
    ],
  ])(
    '%j → blksize %i, windowsize %i, timeout %i ms',
    (requested, blockSize, windowSize, timeoutMs, oack) => {
      expect(negotiate(requested)).toEqual({
        blockSize,
        windowSize,
        timeoutMs,
        acknowledged: oack,
      });
    },
  );

  it('leaves tsize out when the size is unknown (a file still arriving) or zero', () => {
    const requested = new Map([
      ['tsize', '0'],
      ['blksize', '1024'],
    ]);
    expect(negotiateOptions(requested, limits, undefined).acknowledged).toEqual([
      ['blksize', '1024'],
    ]);
    expect(negotiate({ tsize: '0' }, 0).acknowledged).toEqual([]);
  });

  it('caps blksize at the configured maximum and windowsize at the configured maximum', () => {
    const tight = { ...limits, maxBlockSize: 1432, maxWindowSize: 8 };
    expect(negotiate({ blksize: '8192', windowsize: '32' }, 1, tight)).toMatchObject({
      blockSize: 1432,
      windowSize: 8,
    });
  });

  it('keeps a window of blocks within maxWindowBytes but never below one block', () => {
    const small = { ...limits, maxWindowBytes: 4096 };
    expect(negotiate({ blksize: '1024', windowsize: '16' }, 1, small).windowSize).toBe(4);
    expect(negotiate({ blksize: '8192', windowsize: '16' }, 1, small).windowSize).toBe(1);
  });

  it('derives the block size that fits a path MTU', () => {
    expect(blockSizeForMtu(1500, false)).toBe(1468);
    expect(blockSizeForMtu(1500, true)).toBe(1448);
  });
});
