import { posix } from 'node:path';
import { classifyFtype, isBootFile } from '../model/ftype.js';
import type { FlatItem } from '../model/flatten.js';
import { checkItemPath } from '../url/item-path.js';
import {
  architectureSubarch,
  bootloaderRejection,
  expandSubarches,
  osProductRejection,
} from './product-rules.js';
import type { BootResource, BootResourceFile, StreamWarn } from './types.js';

function groupByProductVersion(items: readonly FlatItem[]): Map<string, FlatItem[]> {
  const groups = new Map<string, FlatItem[]>();
  for (const item of items) {
    const key = `${item.content_id ?? ''}\u0000${item.product_name}\u0000${item.version_name}`;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [item]);
    else list.push(item);
  }
  return groups;
}

function toFiles(items: readonly FlatItem[], warn: StreamWarn): BootResourceFile[] | string {
  const files: BootResourceFile[] = [];
  for (const item of items) {
    const kind = classifyFtype(item.ftype);
    if (kind === undefined) {
      warn(`skipping item with unknown ftype ${JSON.stringify(item.ftype ?? null)}`, {
        product: item.product_name,
        version: item.version_name,
        item: item.item_name,
      });
      continue;
    }
    if (!isBootFile(kind) || item.path === undefined) continue;
    const where = `${item.product_name} ${item.version_name} ${item.item_name}`;
    checkItemPath(item.path, where);
    if (item.sha256 === undefined || item.size === undefined)
      return `${item.item_name} has no sha256 or size`;
    files.push({
      filename: posix.basename(item.path),
      ftype: item.ftype ?? '',
      kind,
      path: item.path,
      sha256: item.sha256.toLowerCase(),
      size: Number(item.size),
      itemName: item.item_name,
      ...(item.kpackage === undefined ? {} : { kpackage: item.kpackage }),
    });
  }
  // A pre-squashfs root image is only used when the version has no squashfs.
  return files.some((f) => f.kind === 'squashfs')
    ? files.filter((f) => f.kind !== 'root-image')
    : files;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/**
 * Maps flattened items (normally the newest version of each product) to boot resources as MAAS
 * 3.6 does. Products MAAS would ignore are skipped through `warn` with the reason.
 */
export function mapToBootResources(
  items: readonly FlatItem[],
  warn: StreamWarn = () => undefined,
): BootResource[] {
  const out: BootResource[] = [];
  for (const group of groupByProductVersion(items).values()) {
    const p = group[0];
    if (p === undefined) continue;
    const skip = (reason: string): void =>
      warn(`skipping product ${p.product_name}: ${reason}`, { product: p.product_name });
    const { os, arch } = p;
    if (os === undefined || arch === undefined) {
      skip('it has no os or arch');
      continue;
    }
    const bootloaderType = p['bootloader-type'];
    const rejection =
      bootloaderType === undefined
        ? osProductRejection(p.product_name, os)
        : bootloaderRejection(p.product_name, bootloaderType, os, arch);
    if (rejection !== undefined) {
      skip(rejection);
      continue;
    }
    const files = toFiles(group, warn);
    if (typeof files === 'string' || files.length === 0) {
      skip(typeof files === 'string' ? files : 'it has no boot files');
      continue;
    }
    const common = {
      os,
      arch,
      label: p.label ?? '',
      version: p.version_name,
      contentId: p.content_id ?? '',
      productName: p.product_name,
      files,
      ...optional('releaseCodename', p.release_codename),
      ...optional('releaseTitle', p.release_title),
      ...optional('supportEol', p.support_eol),
    };
    if (bootloaderType !== undefined) {
      out.push({
        ...common,
        name: `${os}/${bootloaderType}`,
        architecture: `${arch}/generic`,
        subarch: 'generic',
        release: bootloaderType,
        kflavor: 'bootloader',
        bootloaderType,
        subarches: ['generic'],
      });
      continue;
    }
    if (p.release === undefined) {
      skip('it has no release');
      continue;
    }
    const baseSubarch = p.subarch ?? 'generic';
    const subarch = architectureSubarch(baseSubarch, p.kflavor);
    out.push({
      ...common,
      name: `${os}/${p.release}`,
      architecture: `${arch}/${subarch}`,
      subarch,
      release: p.release,
      kflavor: p.kflavor ?? 'generic',
      subarches: expandSubarches(p, baseSubarch),
      ...optional('alias', p.version === undefined ? undefined : `${os}/${p.version}`),
    });
  }
  return out;
}
