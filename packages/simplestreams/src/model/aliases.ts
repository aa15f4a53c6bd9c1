import type { ProductsDoc } from '../documents/schemas.js';

type Aliases = NonNullable<ProductsDoc['_aliases']>;

function expandNode<T extends Record<string, unknown>>(node: T, aliases: Aliases): T {
  const out: Record<string, unknown> = { ...node };
  for (const [field, table] of Object.entries(aliases)) {
    const value = node[field];
    if (typeof value !== 'string') continue;
    const extra = table[value];
    if (extra !== undefined) Object.assign(out, extra);
  }
  return out as T;
}

/**
 * Applies `_aliases` ({field: {value: {k: v}}}): every node whose `field` holds a string that is a
 * key of `_aliases[field]` gets those pairs merged in. Returns a new tree without `_aliases`.
 */
export function expandAliases(doc: ProductsDoc): ProductsDoc {
  const aliases = doc._aliases;
  if (aliases === undefined) return doc;
  const { _aliases: _dropped, ...rest } = doc;
  const top = expandNode(rest, aliases);
  const products: ProductsDoc['products'] = {};
  for (const [name, product] of Object.entries(doc.products)) {
    const versions: (typeof product)['versions'] = {};
    for (const [vname, version] of Object.entries(product.versions)) {
      const items: (typeof version)['items'] = {};
      for (const [iname, item] of Object.entries(version.items))
        items[iname] = expandNode(item, aliases);
      versions[vname] = { ...expandNode(version, aliases), items };
    }
    products[name] = { ...expandNode(product, aliases), versions };
  }
  return { ...top, products };
}
