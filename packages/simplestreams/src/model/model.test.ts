import { describe, expect, it } from 'vitest';
import { parseProductsDoc } from '../documents/parse-document.js';
import {
  classifyFtype,
  flattenProducts,
  itemMatches,
  latestVersions,
  parseItemFilter,
  sortVersionsNewestFirst,
} from '../index.js';

const doc = parseProductsDoc(
  JSON.stringify({
    content_id: 'com.example:v3',
    datatype: 'image-ids',
    format: 'products:1.0',
    updated: 'Thu, 24 Jul 2025 09:01:43 +0000',
    _aliases: { krel: { noble: { kernel_series: '6.8', ftype: 'aliased' } } },
    products: {
      'p:amd64': {
        arch: 'amd64',
        krel: 'noble',
        ftype: 'boot-kernel',
        nested: { ignored: true },
        versions: {
          '20250101': {
            pubname: 'old',
            items: { k: { path: 'a/k', size: 15000000, sha256: 'a'.repeat(64), ratio: 1.5 } },
          },
          '20250718': {
            items: {
              k: { path: 'b/k', ftype: 'squashfs', flag: true, size: 7, sha256: 'b'.repeat(64) },
            },
          },
          '20250718.1': { items: { k: { path: 'c/k', size: 7, sha256: 'c'.repeat(64) } } },
        },
      },
    },
  }),
  'doc',
);

describe('flattenProducts', () => {
  it('inherits scalars top → product → version → item, stringifies numbers, injects names', () => {
    const items = flattenProducts(doc);
    expect(items).toHaveLength(3);
    const first = items[0]!;
    expect(first).toMatchObject({
      content_id: 'com.example:v3',
      format: 'products:1.0',
      arch: 'amd64',
      pubname: 'old',
      size: '15000000',
      ratio: '1.5',
      product_name: 'p:amd64',
      version_name: '20250101',
      item_name: 'k',
    });
    expect(first).not.toHaveProperty('nested');
    expect(first).not.toHaveProperty('products');
    expect(items[1]).toMatchObject({ ftype: 'squashfs', flag: 'True' });
    expect(items[1]).not.toHaveProperty('pubname');
  });

  it('expands _aliases on the node that carries the field', () => {
    const items = flattenProducts(doc);
    expect(items[0]).toMatchObject({ kernel_series: '6.8', ftype: 'aliased' });
    // The item's own ftype overrides what the product level got from the alias.
    expect(items[1]?.ftype).toBe('squashfs');
  });
});

describe('latest versions', () => {
  it('sorts version names byte-wise', () => {
    expect(sortVersionsNewestFirst(['20250718', '20250718.1', '20250101', '2025071'])).toEqual([
      '20250718.1',
      '20250718',
      '2025071',
      '20250101',
    ]);
    expect(latestVersions(flattenProducts(doc)).map((i) => i.version_name)).toEqual(['20250718.1']);
    expect(latestVersions(flattenProducts(doc), 2).map((i) => i.version_name)).toEqual([
      '20250718',
      '20250718.1',
    ]);
  });
});

describe('ftype and filters', () => {
  it('classifies known ftypes and leaves unknown ones undefined', () => {
    expect(classifyFtype('boot-kernel')).toBe('kernel');
    expect(classifyFtype('root-dd.tar.xz')).toBe('root-dd');
    expect(classifyFtype('archive.tar.xz')).toBe('bootloader-archive');
    expect(classifyFtype('root-tgz')).toBe('root-archive');
    expect(classifyFtype('hologram')).toBeUndefined();
  });

  it('parses and applies sstream-query style filters', () => {
    const item = flattenProducts(doc)[0]!;
    expect(
      itemMatches(item, [parseItemFilter('arch=amd64'), parseItemFilter('version_name~^2025')]),
    ).toBe(true);
    expect(itemMatches(item, [parseItemFilter('arch!=amd64')])).toBe(false);
    expect(itemMatches(item, [parseItemFilter('release!~x')])).toBe(true);
    expect(() => parseItemFilter('nonsense')).toThrow(
      expect.objectContaining({ code: 'STREAM_FILTER_INVALID' }),
    );
    expect(() => parseItemFilter('a~(')).toThrow(
      expect.objectContaining({ code: 'STREAM_FILTER_INVALID' }),
    );
  });
});

describe('schemas', () => {
  it('reports the JSON path of what is wrong', () => {
    const bad = JSON.stringify({
      content_id: 'x',
      format: 'products:1.0',
      products: { 'a:b': { versions: { '1': { items: { k: { sha256: 'nothex' } } } } } },
    });
    expect(() => parseProductsDoc(bad, 'streams/v1/x.json')).toThrow(
      /streams\/v1\/x\.json does not match its format: \$\.products\["a:b"\]\.versions\["1"\]\.items\.k\.sha256/,
    );
    expect(() => parseProductsDoc('{"format": ', 'y.json')).toThrow(
      expect.objectContaining({ code: 'STREAM_JSON_INVALID' }),
    );
  });
});
