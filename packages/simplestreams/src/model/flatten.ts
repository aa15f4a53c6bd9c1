import type { ProductsDoc } from '../documents/schemas.js';
import { expandAliases } from './aliases.js';

/**
 * One item with every attribute it inherits: products-document top level ← product ← version ←
 * item, scalars only, numbers as strings (as simplestreams does), plus `product_name`,
 * `version_name` and `item_name`.
 */
export type FlatItem = Readonly<Record<string, string>> & {
  readonly product_name: string;
  readonly version_name: string;
  readonly item_name: string;
};

/** Scalar fields of a node as strings; objects, arrays and null are not inherited. */
export function scalarFields(
  node: Readonly<Record<string, unknown>>,
  into: Record<string, string> = {},
): Record<string, string> {
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string') into[key] = value;
    else if (typeof value === 'number') into[key] = String(value);
    // Python's str() of a bool, which is what simplestreams consumers have always seen.
    else if (typeof value === 'boolean') into[key] = value ? 'True' : 'False';
  }
  return into;
}

/** Flattens a products document (after `_aliases` expansion) into one record per item. */
export function flattenProducts(doc: ProductsDoc): FlatItem[] {
  const expanded = expandAliases(doc);
  const top = scalarFields(expanded);
  const out: FlatItem[] = [];
  for (const [productName, product] of Object.entries(expanded.products)) {
    const productFields = scalarFields(product, { ...top });
    for (const [versionName, version] of Object.entries(product.versions)) {
      const versionFields = scalarFields(version, { ...productFields });
      for (const [itemName, item] of Object.entries(version.items)) {
        const fields = scalarFields(item, { ...versionFields });
        out.push({
          ...fields,
          product_name: productName,
          version_name: versionName,
          item_name: itemName,
        });
      }
    }
  }
  return out;
}
