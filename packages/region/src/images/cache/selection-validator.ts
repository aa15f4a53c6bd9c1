import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { SelectionValidator } from '../../boot-sources/index.js';
import type { DialectName } from '../../db/index.js';
import { listSourceCache, memoizedSourceCache } from './source-cache.js';

function pyList(values: readonly string[]): string {
  return `[${values.map((v) => `'${v}'`).join(', ')}]`;
}

/**
 * Validates selections against the boot source cache with MAAS's messages. A source whose cache
 * was never filled (no import has read it yet, e.g. on first start) accepts every selection:
 * refusing then would make the default selection impossible to create.
 */
export function cacheSelectionValidator(
  db: Kysely<Database>,
  dialect: DialectName,
): SelectionValidator {
  return {
    async validate(source, selection) {
      // PostgreSQL: read the shared table (another region may have refreshed it). SQLite: the
      // in-process copy (see memoizedSourceCache).
      const cache =
        dialect === 'postgres'
          ? await listSourceCache(db, source.id)
          : (memoizedSourceCache(db, source.id) ?? []);
      if (cache.length === 0) return {};
      const matching = cache.filter(
        (c) =>
          c.bootloaderType === null &&
          (selection.os === '*' || c.os === selection.os) &&
          (selection.release === '*' || c.release === selection.release),
      );
      if (matching.length === 0) {
        return {
          __all__: [
            `OS ${selection.os} with release ${selection.release} has no available images for download`,
          ],
        };
      }
      const errors: Record<string, string[]> = {};
      const check = (
        field: 'arches' | 'subarches' | 'labels',
        key: 'arch' | 'subarch' | 'label',
      ) => {
        const wanted = selection[field];
        if (wanted.includes('*')) return;
        const missing = wanted.filter((w) => !matching.some((c) => c[key] === w));
        if (missing.length > 0)
          errors[field] = [`No available images to download for ${pyList(missing)}`];
      };
      check('arches', 'arch');
      check('subarches', 'subarch');
      check('labels', 'label');
      return errors;
    },
  };
}
