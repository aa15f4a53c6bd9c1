import cliProgress from 'cli-progress';
import { isInteractive, type CliIo } from './io.js';

/** A byte-counting progress display; `update` takes the absolute number of bytes done. */
export interface ByteProgress {
  update(doneBytes: number): void;
  stop(): void;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit] ?? 'B'}`;
}

/**
 * A bar on stderr showing bytes, percent and rate. When stderr is not a terminal (CI logs,
 * pipes) a redrawn bar would be noise, so only a single summary line is written at the end.
 * `startBytes` lets a resumed upload start part-way without inflating the rate.
 */
export function createByteProgress(
  io: CliIo,
  label: string,
  totalBytes: number,
  startBytes = 0,
): ByteProgress {
  const startedAt = performance.now();
  let done = startBytes;
  const rate = (): string => {
    const seconds = (performance.now() - startedAt) / 1000;
    return seconds > 0 ? `${formatBytes(Math.round((done - startBytes) / seconds))}/s` : '-';
  };
  if (!isInteractive(io.stderr)) {
    return {
      update(doneBytes) {
        done = doneBytes;
      },
      stop() {
        io.stderr.write(
          `${label}: ${formatBytes(done)} of ${formatBytes(totalBytes)} (${rate()})\n`,
        );
      },
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: `${label} [{bar}] {percentage}% | {doneh}/{totalh} | {rate}`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = (): Record<string, string> => ({
    doneh: formatBytes(done),
    totalh: formatBytes(totalBytes),
    rate: rate(),
  });
  bar.start(Math.max(totalBytes, 1), Math.min(startBytes, totalBytes), payload());
  return {
    update(doneBytes) {
      done = doneBytes;
      bar.update(Math.min(doneBytes, totalBytes), payload());
    },
    stop() {
      bar.stop();
    },
  };
}
