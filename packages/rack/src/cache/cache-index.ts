import type { CacheMetrics } from './cache-metrics.js';

export interface IndexedFile {
  size: number;
  lastUsed: number;
  /**
   * When the bytes on disk last hashed to the name; undefined after a restart or a suspicion,
   * until a verify pass (first serve or the scrub) has read the whole file again.
   */
  verifiedAt?: number | undefined;
}

export interface Victim {
  readonly sha256: string;
  readonly partial: boolean;
}

/**
 * The bookkeeping behind the size limit: complete files (LRU by last use), partial files left
 * on disk, room reserved by fetches in flight, reader counts and pins. Pure and synchronous so
 * that "is there room?" and "evict these" happen in one step with nothing interleaved.
 */
export class CacheIndex {
  readonly complete = new Map<string, IndexedFile>();
  readonly partials = new Map<string, IndexedFile>();
  readonly reserved = new Map<string, number>();
  readonly readers = new Map<string, number>();
  readonly pins = new Set<string>();

  constructor(
    readonly maxBytes: number,
    private readonly metrics: CacheMetrics,
  ) {}

  usedBytes(): number {
    let used = 0;
    for (const file of this.complete.values()) used += file.size;
    for (const file of this.partials.values()) used += file.size;
    for (const bytes of this.reserved.values()) used += bytes;
    return used;
  }

  touch(sha256: string, now = Date.now()): void {
    const file = this.complete.get(sha256);
    if (file !== undefined) file.lastUsed = now;
  }

  acquire(sha256: string): void {
    this.readers.set(sha256, (this.readers.get(sha256) ?? 0) + 1);
  }

  release(sha256: string): void {
    const count = (this.readers.get(sha256) ?? 0) - 1;
    if (count > 0) this.readers.set(sha256, count);
    else this.readers.delete(sha256);
  }

  /** A fetch starts: a partial file it resumes is now the fetch's, counted as reserved. */
  startFetch(sha256: string): void {
    const partial = this.partials.get(sha256);
    this.partials.delete(sha256);
    this.reserved.set(sha256, partial?.size ?? 0);
  }

  /**
   * Reserves `total` bytes for a fetch, choosing victims to evict. Returns undefined (and evicts
   * nothing) when the file cannot fit even after evicting everything evictable.
   */
  reserve(sha256: string, total: number): Victim[] | undefined {
    if (total > this.maxBytes) return undefined;
    const already = this.reserved.get(sha256) ?? 0;
    this.reserved.set(sha256, 0);
    const victims: Victim[] = [];
    let used = this.usedBytes();
    // Forgotten partials go first (cheapest to lose), then complete files, least recently used first.
    const candidates = [
      ...[...this.partials].map(([sha, file]) => ({ sha, file, partial: true })),
      ...[...this.complete]
        .map(([sha, file]) => ({ sha, file, partial: false }))
        .sort((a, b) => a.file.lastUsed - b.file.lastUsed),
    ];
    for (const candidate of candidates) {
      if (used + total <= this.maxBytes) break;
      if (this.pins.has(candidate.sha) || this.readers.has(candidate.sha)) continue;
      victims.push({ sha256: candidate.sha, partial: candidate.partial });
      used -= candidate.file.size;
    }
    if (used + total > this.maxBytes) {
      this.reserved.set(sha256, already);
      return undefined;
    }
    for (const victim of victims) {
      (victim.partial ? this.partials : this.complete).delete(victim.sha256);
      this.metrics.evictions.inc();
    }
    this.reserved.set(sha256, total);
    this.refreshGauges();
    return victims;
  }

  /** At start, when the limit was lowered: evict until the folder fits again. */
  enforceLimit(): Victim[] {
    const key = 'start-up';
    const victims = this.reserve(key, 0) ?? [];
    this.reserved.delete(key);
    return victims;
  }

  /** The fetch ended: a verified file becomes an entry, an interrupted one an idle partial. */
  endFetch(
    sha256: string,
    outcome: { complete: number } | { partial: number } | 'discarded',
  ): void {
    this.reserved.delete(sha256);
    const now = Date.now();
    if (outcome === 'discarded') {
      // nothing left on disk
    } else if ('complete' in outcome) {
      this.complete.set(sha256, { size: outcome.complete, lastUsed: now, verifiedAt: now });
    } else if (outcome.partial > 0) {
      this.partials.set(sha256, { size: outcome.partial, lastUsed: now });
    }
    this.refreshGauges();
  }

  refreshGauges(): void {
    this.metrics.usedBytes.set(this.usedBytes());
    this.metrics.entries.set(this.complete.size);
  }
}
