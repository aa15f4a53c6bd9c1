import type { BootSourceOffer, ResourceSummary, Selection } from './image-types.js';

/** Debian/Ubuntu port names in the order the matrix shows them; others follow, sorted. */
const UBUNTU_ARCHES = ['amd64', 'arm64', 'armhf', 'i386', 'ppc64el', 's390x'];

/** Selected arches per Ubuntu release. */
export type SelectionMatrix = ReadonlyMap<string, ReadonlySet<string>>;

export interface MatrixRow {
  readonly release: string;
  /** e.g. `24.04 LTS`; empty for a release the source does not (or not yet) list. */
  readonly title: string;
  /** Arches the source offers for this release (empty: the source does not offer it). */
  readonly offered: ReadonlySet<string>;
}

export function selectionMatrix(selections: readonly Selection[]): Map<string, Set<string>> {
  return new Map(
    selections.filter((s) => s.os === 'ubuntu').map((s) => [s.release, new Set(s.arches)]),
  );
}

/** True once the source was read (by an import or Connect) since it was last changed. */
export function offerKnown(offer: BootSourceOffer | undefined): boolean {
  return offer !== undefined && offer.updated !== null;
}

function archOrder(a: string, b: string): number {
  const ia = UBUNTU_ARCHES.indexOf(a);
  const ib = UBUNTU_ARCHES.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a.localeCompare(b);
}

/**
 * Rows: the Ubuntu releases the source offers, newest title first, then any release selected or
 * synced that it does not offer (so it can still be un-selected), by name.
 */
export function matrixRows(
  offer: BootSourceOffer | undefined,
  matrix: SelectionMatrix,
  resources: readonly ResourceSummary[],
): MatrixRow[] {
  const rows: MatrixRow[] = (offer?.releases ?? [])
    .filter((r) => r.os === 'ubuntu')
    .sort(
      (a, b) =>
        b.release_title.localeCompare(a.release_title) || a.release.localeCompare(b.release),
    )
    .map((r) => ({ release: r.release, title: r.release_title, offered: new Set(r.arches) }));
  const listed = new Set(rows.map((r) => r.release));
  const extra = new Set(matrix.keys());
  for (const r of resources)
    if (r.type === 'Synced' && r.name.startsWith('ubuntu/')) extra.add(r.name.slice(7));
  for (const release of [...extra].sort())
    if (!listed.has(release)) rows.push({ release, title: '', offered: new Set() });
  return rows;
}

/** Columns: every arch offered for an Ubuntu release or selected, in port order (amd64 first). */
export function matrixArches(
  offer: BootSourceOffer | undefined,
  matrix: SelectionMatrix,
): string[] {
  const used = new Set<string>();
  for (const r of offer?.releases ?? [])
    if (r.os === 'ubuntu') for (const a of r.arches) used.add(a);
  for (const set of matrix.values()) for (const a of set) used.add(a);
  if (used.size === 0) used.add('amd64');
  return [...used].sort(archOrder);
}

/**
 * Whether a cell gets a checkbox: always until the source was read; afterwards only where the
 * source offers the arch, or where it was selected when the page loaded (to un-select it).
 */
export function cellSelectable(
  row: MatrixRow,
  arch: string,
  known: boolean,
  saved: SelectionMatrix,
): boolean {
  return !known || row.offered.has(arch) || saved.get(row.release)?.has(arch) === true;
}
