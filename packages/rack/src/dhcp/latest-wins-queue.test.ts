import { describe, expect, it } from 'vitest';
import { createLatestWinsQueue } from './latest-wins-queue.js';

function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('createLatestWinsQueue', () => {
  it('runs one job at a time and merges inputs that wait behind a running job', async () => {
    const runs: number[] = [];
    const first = gate();
    const queue = createLatestWinsQueue(async (input: number) => {
      runs.push(input);
      if (input === 1) await first.opened;
      return input * 10;
    });
    const one = queue.push(1);
    await Promise.resolve();
    await Promise.resolve();
    const rest = [queue.push(2), queue.push(3), queue.push(4)];
    first.open();
    expect(await one).toBe(10);
    expect(await Promise.all(rest)).toEqual([40, 40, 40]);
    expect(runs).toEqual([1, 4]);
  });

  it('hands a failure to every merged caller and keeps going', async () => {
    const queue = createLatestWinsQueue((input: number) =>
      input < 0 ? Promise.reject(new Error(`bad ${input}`)) : Promise.resolve(input),
    );
    const merged = [queue.push(5), queue.push(-1)];
    await expect(merged[0]).rejects.toThrow('bad -1');
    await expect(merged[1]).rejects.toThrow('bad -1');
    expect(await queue.push(6)).toBe(6);
  });

  it('does not merge across an exclusive task', async () => {
    const runs: string[] = [];
    const queue = createLatestWinsQueue((input: string) => {
      runs.push(input);
      return Promise.resolve(input);
    });
    const a = queue.push('a');
    const stop = queue.exclusive(() => {
      runs.push('stop');
      return Promise.resolve('stopped');
    });
    const b = queue.push('b');
    expect(await Promise.all([a, stop, b])).toEqual(['a', 'stopped', 'b']);
    expect(runs).toEqual(['a', 'stop', 'b']);
  });
});
