import {
  DEFAULT_BLOCK_SIZE,
  IPV4_OVERHEAD_BYTES,
  IPV6_OVERHEAD_BYTES,
  MAX_BLOCK_SIZE,
  MAX_TIMEOUT_S,
  MAX_WINDOW_SIZE,
  MIN_BLOCK_SIZE,
  MIN_TIMEOUT_S,
  MIN_WINDOW_SIZE,
} from './constants.js';

/**
 * RFC 2347 option negotiation for read requests: blksize (RFC 2348), tsize and timeout
 * (RFC 2349), windowsize (RFC 7440). Unknown options and values that are not valid decimal
 * numbers in range are left out of the OACK, which tells the client they were not accepted.
 * Values above the server's limits are answered with the limit, as the RFCs allow.
 */

export interface NegotiationLimits {
  /** Largest block size offered (already reduced for the path MTU if one is configured). */
  readonly maxBlockSize: number;
  readonly maxWindowSize: number;
  /** Caps blockSize × windowSize so a window of large blocks cannot pin megabytes per client. */
  readonly maxWindowBytes: number;
  /** Retransmission timeout when the client does not ask for one. */
  readonly defaultTimeoutMs: number;
}

export interface NegotiatedOptions {
  readonly blockSize: number;
  readonly windowSize: number;
  readonly timeoutMs: number;
  /** Option name/value pairs for the OACK, in request order; empty means send no OACK. */
  readonly acknowledged: readonly (readonly [string, string])[];
}

const DECIMAL = /^[0-9]{1,10}$/;

function parseDecimal(value: string | undefined): number | undefined {
  return value !== undefined && DECIMAL.test(value) ? Number(value) : undefined;
}

/** Largest block size whose DATA datagram fits in one packet of the given MTU. */
export function blockSizeForMtu(mtu: number, ipv6: boolean): number {
  return mtu - (ipv6 ? IPV6_OVERHEAD_BYTES : IPV4_OVERHEAD_BYTES);
}

export function negotiateOptions(
  requested: ReadonlyMap<string, string>,
  limits: NegotiationLimits,
  fileSize: number | undefined,
): NegotiatedOptions {
  let blockSize = DEFAULT_BLOCK_SIZE;
  let windowSize = 1;
  let timeoutMs = limits.defaultTimeoutMs;
  const answers = new Map<string, string>();

  const blksize = parseDecimal(requested.get('blksize'));
  if (blksize !== undefined && blksize >= MIN_BLOCK_SIZE) {
    blockSize = Math.min(blksize, limits.maxBlockSize, MAX_BLOCK_SIZE);
    answers.set('blksize', String(blockSize));
  }

  const windowsize = parseDecimal(requested.get('windowsize'));
  if (windowsize !== undefined && windowsize >= MIN_WINDOW_SIZE && windowsize <= MAX_WINDOW_SIZE) {
    const byBytes = Math.max(1, Math.floor(limits.maxWindowBytes / blockSize));
    windowSize = Math.max(1, Math.min(windowsize, limits.maxWindowSize, byBytes));
    answers.set('windowsize', String(windowSize));
  }

  const timeout = parseDecimal(requested.get('timeout'));
  if (timeout !== undefined && timeout >= MIN_TIMEOUT_S && timeout <= MAX_TIMEOUT_S) {
    timeoutMs = timeout * 1000;
    answers.set('timeout', String(timeout));
  }

  // A file still arriving has no size yet; tsize is then left out rather than guessed. An empty
  // file's tsize is left out too: curl (7.88) rejects "tsize 0" in an OACK as invalid.
  const tsize = parseDecimal(requested.get('tsize'));
  if (tsize !== undefined && fileSize !== undefined && fileSize > 0)
    answers.set('tsize', String(fileSize));

  const acknowledged: (readonly [string, string])[] = [];
  for (const name of requested.keys()) {
    const answer = answers.get(name);
    if (answer !== undefined) acknowledged.push([name, answer]);
  }
  return { blockSize, windowSize, timeoutMs, acknowledged };
}
