import type { BootSourceOffer, OfferedBootloader, OfferedRelease } from '@kiln/protocol';
import { API_PREFIX } from '../../api/index.js';
import { maasDateTime } from '../../db/index.js';
import type { BootSourceRow } from '../../boot-sources/index.js';
import type { CachedImage } from './source-cache.js';

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(byText);
}

interface ReleaseAcc {
  os: string;
  release: string;
  title: string;
  codename: string;
  eol: string | null;
  arches: Set<string>;
  subarches: Set<string>;
  labels: Set<string>;
}

/**
 * Groups a source's cache rows (one per image × subarch served) into what the UI's matrix needs:
 * one entry per (os, release) with its arches, subarches and labels, and one per bootloader.
 * Sorted, so the same offer always renders the same way. Rows written before the source was last
 * changed (a new URL or keyring) describe what it used to be: the offer is then empty, as if the
 * source had never been read, until the next import or fetch.
 */
export function offerFromCache(
  source: BootSourceRow,
  cached: readonly CachedImage[],
): BootSourceOffer {
  const newest = cached.reduce<string>((max, row) => (row.created > max ? row.created : max), '');
  const rows = newest >= source.updated ? cached : [];
  const releases = new Map<string, ReleaseAcc>();
  const bootloaders = new Map<string, { os: string; type: string; arches: Set<string> }>();
  let updated: string | null = null;
  for (const row of rows) {
    if (updated === null || row.created > updated) updated = row.created;
    if (row.bootloaderType !== null) {
      const key = `${row.os}\u0000${row.bootloaderType}`;
      let entry = bootloaders.get(key);
      if (entry === undefined)
        bootloaders.set(key, (entry = { os: row.os, type: row.bootloaderType, arches: new Set() }));
      entry.arches.add(row.arch);
      continue;
    }
    const key = `${row.os}\u0000${row.release}`;
    let entry = releases.get(key);
    if (entry === undefined) {
      entry = {
        os: row.os,
        release: row.release,
        title: row.releaseTitle,
        codename: row.releaseCodename,
        eol: row.supportEol,
        arches: new Set(),
        subarches: new Set(),
        labels: new Set(),
      };
      releases.set(key, entry);
    }
    if (entry.title === '') entry.title = row.releaseTitle;
    if (entry.codename === '') entry.codename = row.releaseCodename;
    entry.eol ??= row.supportEol;
    entry.arches.add(row.arch);
    entry.subarches.add(row.subarch);
    entry.labels.add(row.label);
  }
  const releaseList: OfferedRelease[] = [...releases.values()]
    .sort((a, b) => byText(a.os, b.os) || byText(a.release, b.release))
    .map((r) => ({
      os: r.os,
      release: r.release,
      release_title: r.title,
      release_codename: r.codename,
      support_eol: r.eol,
      arches: sorted(r.arches),
      subarches: sorted(r.subarches),
      labels: sorted(r.labels),
    }));
  const bootloaderList: OfferedBootloader[] = [...bootloaders.values()]
    .sort((a, b) => byText(a.os, b.os) || byText(a.type, b.type))
    .map((b) => ({ os: b.os, bootloader_type: b.type, arches: sorted(b.arches) }));
  return {
    boot_source_id: source.id,
    url: source.url,
    updated: updated === null ? null : maasDateTime(updated),
    releases: releaseList,
    bootloaders: bootloaderList,
    resource_uri: `${API_PREFIX}boot-sources/${String(source.id)}/available-images/`,
  };
}
