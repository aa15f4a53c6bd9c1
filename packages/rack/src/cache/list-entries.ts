import type { CacheIndex } from './cache-index.js';
import type { Flight } from './flight.js';
import type { CacheEntryInfo } from './types.js';

/** What `kiln rack cache list` shows: complete files, fetches in flight and idle partials. */
export function listEntries(
  index: CacheIndex,
  flights: ReadonlyMap<string, Flight>,
): CacheEntryInfo[] {
  const common = (sha256: string) => ({
    sha256,
    pinned: index.pins.has(sha256),
    readers: index.readers.get(sha256) ?? 0,
  });
  const entries: CacheEntryInfo[] = [];
  for (const [sha256, file] of index.complete) {
    entries.push({
      ...common(sha256),
      size: file.size,
      totalSize: file.size,
      lastUsed: new Date(file.lastUsed),
      state: 'complete',
    });
  }
  for (const [sha256, flight] of flights) {
    entries.push({
      ...common(sha256),
      size: flight.written,
      totalSize: flight.total,
      lastUsed: new Date(),
      state: 'fetching',
    });
  }
  for (const [sha256, file] of index.partials) {
    entries.push({
      ...common(sha256),
      size: file.size,
      totalSize: undefined,
      lastUsed: new Date(file.lastUsed),
      state: 'partial',
    });
  }
  return entries.sort((a, b) => b.lastUsed.getTime() - a.lastUsed.getTime());
}
