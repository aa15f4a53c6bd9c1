import type { Stats } from './types.js';

export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = (values: readonly number[]): number => {
    const mid = Math.floor(values.length / 2);
    return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
  };
  const m = median(sorted);
  const mad = median(sorted.map((v) => Math.abs(v - m)).sort((a, b) => a - b));
  return { median: m, min: sorted[0]!, max: sorted.at(-1)!, mad, samples: sorted.length };
}

/**
 * Runs `fn` `warmup` times untimed, then `repeats` times timed; returns milliseconds per run. When
 * `fn` resolves to a number, that is the run's figure (it timed the part that matters itself).
 */
export async function measure(
  fn: () => Promise<unknown>,
  warmup: number,
  repeats: number,
): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    const own = await fn();
    samples.push(typeof own === 'number' ? own : Number(process.hrtime.bigint() - start) / 1e6);
  }
  return stats(samples);
}
