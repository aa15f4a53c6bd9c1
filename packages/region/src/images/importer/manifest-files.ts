import { posix } from 'node:path';
import type { Kysely } from 'kysely';
import {
  checkItemPath,
  classifyFtype,
  type BootResource,
  type BootResourceFile,
  type FlatItem,
} from '@kiln/simplestreams';
import type { Database } from '../../db/index.js';
import '../store/tables.js';

const SHA256 = /^[0-9a-f]{64}$/i;

function productKey(contentId: string, product: string, version: string): string {
  return `${contentId}\u0000${product}\u0000${version}`;
}

/**
 * Adds each image's package list (`squashfs.manifest`, ftype `manifest`) to its files. MAAS does
 * not download it, but Kiln's UI shows it, so it is imported and verified like any other file.
 * It is never a boot file: boot and deploy pick files by filetype (kernel, initrd, root), and
 * `manifest` is none of those. Bootloaders have no manifest; an item without a valid sha256 or
 * size is left out rather than failing the image.
 */
export function withManifests(
  resources: readonly BootResource[],
  items: readonly FlatItem[],
): BootResource[] {
  const manifests = new Map<string, BootResourceFile[]>();
  for (const item of items) {
    if (classifyFtype(item.ftype) !== 'manifest' || item.path === undefined) continue;
    const size = Number(item.size);
    if (item.sha256 === undefined || !SHA256.test(item.sha256)) continue;
    if (!Number.isSafeInteger(size) || size < 0) continue;
    checkItemPath(item.path, `${item.product_name} ${item.version_name} ${item.item_name}`);
    const key = productKey(item.content_id ?? '', item.product_name, item.version_name);
    const list = manifests.get(key) ?? [];
    list.push({
      filename: posix.basename(item.path),
      ftype: item.ftype ?? 'manifest',
      kind: 'manifest',
      path: item.path,
      sha256: item.sha256.toLowerCase(),
      size,
      itemName: item.item_name,
    });
    manifests.set(key, list);
  }
  return resources.map((resource) => {
    if (resource.bootloaderType !== undefined) return resource;
    const extra = manifests.get(
      productKey(resource.contentId, resource.productName, resource.version),
    );
    if (extra === undefined) return resource;
    const names = new Set(resource.files.map((f) => f.filename));
    const add = extra.filter((f) => !names.has(f.filename));
    return add.length === 0 ? resource : { ...resource, files: [...resource.files, ...add] };
  });
}

/**
 * A package list that could not be fetched (or did not verify) must not keep its image from
 * booting: a set is usable only when all its files are complete, so the manifest's rows are
 * dropped (the failure was already an error event) and the next import tries again.
 */
export async function dropFailedManifests(
  db: Kysely<Database>,
  failed: readonly { readonly sha256: string; readonly filetype: string }[],
): Promise<number> {
  const shas = failed.filter((f) => f.filetype === 'manifest').map((f) => f.sha256);
  if (shas.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('boot_resource_files')
      .select('id')
      .where('filetype', '=', 'manifest')
      .where('sha256', 'in', shas)
      .execute();
    const ids = rows.map((r) => r.id);
    if (ids.length === 0) return 0;
    await trx.deleteFrom('boot_resource_file_syncs').where('file_id', 'in', ids).execute();
    await trx.deleteFrom('boot_resource_files').where('id', 'in', ids).execute();
    return ids.length;
  });
}
