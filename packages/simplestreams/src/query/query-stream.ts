import type { FlatItem } from '../model/flatten.js';
import { itemMatches, parseItemFilter, type ItemFilter } from '../model/item-filter.js';
import { latestVersions } from '../model/latest.js';
import { allItems, readStream, type ReadStreamOptions } from '../read/index.js';
import { urlForPath } from '../url/item-path.js';

export interface QueryOptions extends ReadStreamOptions {
  readonly filters?: readonly (ItemFilter | string)[];
  /** Only the newest N versions of each product. */
  readonly maxVersions?: number | undefined;
}

/** Flattened items of a stream that pass the filters, with `item_url` added like sstream-query. */
export async function queryStream(
  source: string | URL,
  options: QueryOptions = {},
): Promise<FlatItem[]> {
  const stream = await readStream(source, options);
  const filters = (options.filters ?? []).map((f) =>
    typeof f === 'string' ? parseItemFilter(f) : f,
  );
  let items = allItems(stream).filter((item) => itemMatches(item, filters));
  if (options.maxVersions !== undefined) items = latestVersions(items, options.maxVersions);
  return items.map((item) =>
    item.path === undefined ? item : { ...item, item_url: urlForPath(stream.root, item.path).href },
  );
}

export const DEFAULT_ITEM_FORMAT =
  '%(product_name)s %(version_name)s %(item_name)s %(ftype)s %(sha256)s %(size)s %(item_url)s';

/** Renders `%(key)s` placeholders (sstream-query's --output-format); missing keys render as empty. */
export function formatItem(item: FlatItem, template: string = DEFAULT_ITEM_FORMAT): string {
  return template.replace(/%\(([^)]+)\)s/g, (_all, name: string) => item[name] ?? '');
}
