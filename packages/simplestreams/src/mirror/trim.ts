import type { ProductsDoc } from '../documents/schemas.js';
import { flattenProducts, type FlatItem } from '../model/flatten.js';
import { itemMatches, type ItemFilter } from '../model/item-filter.js';
import { sortVersionsNewestFirst } from '../model/latest.js';

export interface TrimOptions {
  readonly filters?: readonly ItemFilter[];
  /** Keep at most this many newest versions of each product (after filtering). */
  readonly maxVersions?: number | undefined;
}

export interface TrimmedProducts {
  readonly doc: ProductsDoc;
  readonly items: readonly FlatItem[];
  /** False when nothing was removed, so the upstream document (and signature) can be kept. */
  readonly changed: boolean;
}

const key = (p: string, v: string, i: string): string => `${p}\u0000${v}\u0000${i}`;

/**
 * Removes items that fail the filters, then versions beyond `maxVersions` per product, then
 * versions and products left empty. Fields are left untouched.
 */
export function trimProducts(doc: ProductsDoc, options: TrimOptions): TrimmedProducts {
  const filters = options.filters ?? [];
  const passing = flattenProducts(doc).filter((item) => itemMatches(item, filters));
  const keepVersions = new Map<string, Set<string>>();
  for (const item of passing) {
    let set = keepVersions.get(item.product_name);
    if (set === undefined) keepVersions.set(item.product_name, (set = new Set()));
    set.add(item.version_name);
  }
  if (options.maxVersions !== undefined) {
    for (const [product, versions] of keepVersions) {
      keepVersions.set(
        product,
        new Set(sortVersionsNewestFirst(versions).slice(0, options.maxVersions)),
      );
    }
  }
  const items = passing.filter(
    (i) => keepVersions.get(i.product_name)?.has(i.version_name) === true,
  );
  const kept = new Set(items.map((i) => key(i.product_name, i.version_name, i.item_name)));
  let changed = false;
  const products: ProductsDoc['products'] = {};
  for (const [pname, product] of Object.entries(doc.products)) {
    const versions: (typeof product)['versions'] = {};
    for (const [vname, version] of Object.entries(product.versions)) {
      const keptItems = Object.entries(version.items).filter(([iname]) =>
        kept.has(key(pname, vname, iname)),
      );
      if (keptItems.length !== Object.keys(version.items).length) changed = true;
      if (keptItems.length > 0)
        versions[vname] = { ...version, items: Object.fromEntries(keptItems) };
    }
    if (Object.keys(versions).length > 0) products[pname] = { ...product, versions };
  }
  return { doc: { ...doc, products }, items, changed };
}
