import type { FlatItem } from './flatten.js';

/** Byte-wise (LANG=C) comparison of version names, as simplestreams sorts them. */
export function compareVersionNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Version names newest first. */
export function sortVersionsNewestFirst(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => compareVersionNames(b, a));
}

function productKey(item: FlatItem): string {
  return `${item.content_id ?? ''}\u0000${item.product_name}`;
}

/**
 * Keeps the items of the newest `count` versions (default 1) of each product, as MAAS imports
 * with max_items=1.
 */
export function latestVersions(items: readonly FlatItem[], count = 1): FlatItem[] {
  const versions = new Map<string, Set<string>>();
  for (const item of items) {
    const key = productKey(item);
    let set = versions.get(key);
    if (set === undefined) versions.set(key, (set = new Set()));
    set.add(item.version_name);
  }
  const keep = new Map<string, Set<string>>();
  for (const [key, names] of versions)
    keep.set(key, new Set(sortVersionsNewestFirst(names).slice(0, count)));
  return items.filter((item) => keep.get(productKey(item))?.has(item.version_name) === true);
}
