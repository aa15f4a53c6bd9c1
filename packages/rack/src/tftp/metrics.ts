import { Counter, Gauge, type Registry } from 'prom-client';

export type TransferResult = 'completed' | 'timeout' | 'aborted' | 'failed' | 'shutdown';
export const TRANSFER_RESULTS: readonly TransferResult[] = [
  'completed',
  'timeout',
  'aborted',
  'failed',
  'shutdown',
];

/** A snapshot of the server's counters since it started. */
export interface TftpStats {
  /** RRQ, WRQ and malformed requests received on the listening socket. */
  readonly requests: number;
  readonly activeTransfers: number;
  readonly transfers: Readonly<Record<TransferResult, number>>;
  /** DATA payload bytes put on the wire, retransmissions included. */
  readonly bytesSent: number;
  readonly packetsSent: number;
  /** DATA and OACK packets sent again after a timeout or a mid-window ACK. */
  readonly retransmissions: number;
  /** ERROR packets sent, by TFTP error code. */
  readonly errorsSent: Readonly<Record<number, number>>;
}

/**
 * Plain counters on the hot path; prom-client reads them at scrape time through `collect`, so a
 * busy transfer costs one integer add per packet rather than a labelled metric update.
 */
export class TftpMetrics {
  requests = 0;
  activeTransfers = 0;
  readonly transfers: Record<TransferResult, number> = {
    completed: 0,
    timeout: 0,
    aborted: 0,
    failed: 0,
    shutdown: 0,
  };
  bytesSent = 0;
  packetsSent = 0;
  retransmissions = 0;
  readonly errorsSent: Record<number, number> = {};

  constructor(registry?: Registry) {
    if (registry !== undefined) this.#register(registry);
  }

  errorSent(code: number): void {
    this.errorsSent[code] = (this.errorsSent[code] ?? 0) + 1;
  }

  snapshot(): TftpStats {
    return {
      requests: this.requests,
      activeTransfers: this.activeTransfers,
      transfers: { ...this.transfers },
      bytesSent: this.bytesSent,
      packetsSent: this.packetsSent,
      retransmissions: this.retransmissions,
      errorsSent: { ...this.errorsSent },
    };
  }

  #register(registry: Registry): void {
    // Several servers (one per rack interface) may share a registry: each reports its own share,
    // so the metric objects are created once and summed over every server that registered.
    const shared = sharedMetrics(registry);
    shared.sources.add(this);
  }
}

interface SharedMetrics {
  readonly sources: Set<TftpMetrics>;
}

const byRegistry = new WeakMap<Registry, SharedMetrics>();

function sum(sources: Set<TftpMetrics>, pick: (m: TftpMetrics) => number): number {
  let total = 0;
  for (const source of sources) total += pick(source);
  return total;
}

function sharedMetrics(registry: Registry): SharedMetrics {
  const existing = byRegistry.get(registry);
  if (existing !== undefined) return existing;
  const sources = new Set<TftpMetrics>();
  const registers = [registry];
  const counter = (name: string, help: string, pick: (m: TftpMetrics) => number): void => {
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(sum(sources, pick));
      },
    });
  };
  counter('kiln_tftp_requests_total', 'TFTP requests received', (m) => m.requests);
  counter(
    'kiln_tftp_sent_bytes_total',
    'TFTP DATA payload bytes sent, retransmissions included',
    (m) => m.bytesSent,
  );
  counter('kiln_tftp_sent_packets_total', 'TFTP DATA packets sent', (m) => m.packetsSent);
  counter(
    'kiln_tftp_retransmissions_total',
    'TFTP DATA and OACK packets sent again',
    (m) => m.retransmissions,
  );
  new Counter({
    name: 'kiln_tftp_transfers_total',
    help: 'TFTP transfers ended, by result',
    labelNames: ['result'],
    registers,
    collect() {
      this.reset();
      for (const result of TRANSFER_RESULTS)
        this.inc(
          { result },
          sum(sources, (m) => m.transfers[result]),
        );
    },
  });
  new Counter({
    name: 'kiln_tftp_errors_total',
    help: 'TFTP ERROR packets sent, by TFTP error code',
    labelNames: ['code'],
    registers,
    collect() {
      this.reset();
      const totals = new Map<string, number>();
      for (const source of sources) {
        for (const [code, count] of Object.entries(source.errorsSent))
          totals.set(code, (totals.get(code) ?? 0) + count);
      }
      for (const [code, count] of totals) this.inc({ code }, count);
    },
  });
  new Gauge({
    name: 'kiln_tftp_active_transfers',
    help: 'TFTP transfers in progress',
    registers,
    collect() {
      this.set(sum(sources, (m) => m.activeTransfers));
    },
  });
  const shared = { sources };
  byRegistry.set(registry, shared);
  return shared;
}
