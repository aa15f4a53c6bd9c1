import { isIP } from 'node:net';
import { AppError } from '@kiln/node-kit';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { MAX_BLOCK_SIZE, MAX_WINDOW_SIZE, MIN_BLOCK_SIZE } from './constants.js';
import type { TftpSource } from './sources.js';

export interface TftpClientInfo {
  readonly address: string;
  readonly port: number;
}

/**
 * Maps a normalised name (no leading slash, `/` separators, never `..`) onto a source, or null
 * when there is no such file. Throwing an AppError with status 404 also means "not found".
 */
export type TftpResolver = (path: string, client: TftpClientInfo) => Promise<TftpSource | null>;

export interface TftpTunables {
  /** Largest blksize granted (RFC 2348 allows up to 65464). Default 65464. */
  readonly maxBlockSize?: number;
  /** Path MTU of the boot network; when set, blksize is also capped so one DATA fits one frame. */
  readonly mtu?: number | undefined;
  /** Largest windowsize granted (RFC 7440). Default 64. */
  readonly maxWindowSize?: number;
  /** Caps blksize × windowsize per transfer. Default 1 MiB. */
  readonly maxWindowBytes?: number;
  /** Retransmission timeout when the client sends no timeout option. Default 1000 ms. */
  readonly timeoutMs?: number;
  /** Retransmissions of the same window before a transfer is abandoned. Default 5. */
  readonly maxRetries?: number;
  /** Concurrent transfers; requests beyond get TFTP error 0 "server busy". Default 1000. Each transfer holds a socket and usually a file descriptor: keep `ulimit -n` well above twice this. */
  readonly maxTransfers?: number;
  /** Bytes read from a source per read-ahead chunk (rounded to whole blocks). Default 64 KiB. */
  readonly readAheadBytes?: number;
  /** Read-ahead buffers kept for reuse between transfers. Default 64 MiB. */
  readonly maxPooledBytes?: number;
  /** SO_RCVBUF of the listening socket, so a boot storm's requests are not dropped. Default 1 MiB. */
  readonly receiveBufferBytes?: number;
}

export interface TftpServerOptions extends TftpTunables {
  readonly port: number;
  /** IP address to listen on (`0.0.0.0` / `::` for all); transfer sockets bind the same address. */
  readonly address: string;
  readonly resolve: TftpResolver;
  readonly logger: Logger;
  /** When given, counters are exposed as kiln_tftp_* metrics in this registry. */
  readonly registry?: Registry | undefined;
}

export type ResolvedTunables = Required<Omit<TftpTunables, 'mtu'>> & {
  readonly mtu: number | undefined;
};

export const DEFAULT_TUNABLES: ResolvedTunables = {
  maxBlockSize: MAX_BLOCK_SIZE,
  mtu: undefined,
  maxWindowSize: 64,
  maxWindowBytes: 1024 * 1024,
  timeoutMs: 1000,
  maxRetries: 5,
  maxTransfers: 1000,
  readAheadBytes: 64 * 1024,
  maxPooledBytes: 64 * 1024 * 1024,
  receiveBufferBytes: 1024 * 1024,
};

const RANGES: Record<keyof ResolvedTunables, readonly [number, number]> = {
  maxBlockSize: [MIN_BLOCK_SIZE, MAX_BLOCK_SIZE],
  mtu: [576, 65535],
  maxWindowSize: [1, MAX_WINDOW_SIZE],
  maxWindowBytes: [MIN_BLOCK_SIZE, 256 * 1024 * 1024],
  timeoutMs: [1, 255_000],
  maxRetries: [0, 100],
  maxTransfers: [1, 1_000_000],
  readAheadBytes: [MIN_BLOCK_SIZE, 64 * 1024 * 1024],
  maxPooledBytes: [0, 16 * 1024 * 1024 * 1024],
  receiveBufferBytes: [4096, 256 * 1024 * 1024],
};

/** Validates every tunable at once and reports all problems in one TFTP_CONFIG_INVALID. */
export function resolveTunables(options: TftpServerOptions): ResolvedTunables {
  const problems: string[] = [];
  if (isIP(options.address) === 0)
    problems.push(`address must be an IP address, got "${options.address}"`);
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    problems.push(`port must be an integer in 0..65535, got ${options.port}`);
  }
  const resolved: Record<string, number | undefined> = { ...DEFAULT_TUNABLES };
  for (const key of Object.keys(RANGES) as (keyof ResolvedTunables)[]) {
    const value = options[key];
    if (value === undefined) continue;
    const [min, max] = RANGES[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${key} must be an integer in ${min}..${max}, got ${value}`);
    }
    resolved[key] = value;
  }
  if (problems.length > 0) {
    throw new AppError(
      'TFTP_CONFIG_INVALID',
      `Invalid TFTP server settings: ${problems.join('; ')}`,
      {
        details: { problems },
      },
    );
  }
  return resolved as ResolvedTunables;
}
