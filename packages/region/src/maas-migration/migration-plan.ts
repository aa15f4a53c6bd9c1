import type { MaasFile, MaasInventory, MaasResource, MaasSet } from './maas-database.js';

/** One distinct content (sha256) the migration needs, and where its bytes can be read. */
export interface PlannedBlob {
  readonly sha256: string;
  readonly size: number;
  /** First file row naming it (large object if any row has one, so the DB copy is preferred). */
  readonly file: MaasFile;
  /** True when every resource using it is synced (so `--refetch-synced` may take it upstream). */
  readonly syncedOnly: boolean;
}

export interface SkippedSet {
  readonly version: string;
  readonly reasons: readonly string[];
}

export interface PlannedResource {
  readonly resource: MaasResource;
  /** Kiln's type: 0 synced, 2 uploaded (MAAS 3.5's migration 0307 turns legacy 1 into 2). */
  readonly type: 0 | 2;
  /** Complete sets, newest first: the first is taken; the next ones are the fallbacks when a copy fails verification. */
  readonly candidates: readonly MaasSet[];
  /** Newer sets than the chosen one that are not complete (MAAS would still serve the older set). */
  readonly skipped: readonly SkippedSet[];
  readonly notes: readonly string[];
}

export interface MigrationPlan {
  readonly inventory: MaasInventory;
  readonly resources: readonly PlannedResource[];
  /** Distinct contents of every resource's chosen set. */
  readonly blobs: ReadonlyMap<string, PlannedBlob>;
  /** Σ size over the distinct sha256 of the chosen sets (the space the images take). */
  readonly bytesNeeded: number;
  readonly warnings: readonly string[];
}

const LEGACY_FILETYPES = new Set(['bootloader']);

function incompleteReasons(set: MaasSet): string[] {
  const reasons: string[] = [];
  if (set.files.length === 0) reasons.push('the set has no files');
  for (const f of set.files) {
    if (f.location === 'large-object' && !f.largeObjectExists)
      reasons.push(`${f.filename}: large object ${f.oid ?? '?'} does not exist`);
    else if (f.written !== f.size)
      reasons.push(`${f.filename}: ${f.written} of ${f.size} bytes were written (incomplete)`);
  }
  return reasons;
}

/** Per resource: the newest set whose files are all complete and present (MAAS ≤ 3.4's rule). */
export function buildPlan(inventory: MaasInventory): MigrationPlan {
  const warnings: string[] = [];
  const resources: PlannedResource[] = [];
  for (const resource of inventory.resources) {
    const notes: string[] = [];
    if (resource.rtype === 1)
      notes.push('legacy generated resource (rtype 1): imported as uploaded, as MAAS 3.5 does');
    const candidates: MaasSet[] = [];
    const skipped: SkippedSet[] = [];
    for (const set of resource.sets) {
      const reasons = incompleteReasons(set);
      if (reasons.length === 0) candidates.push(set);
      else if (candidates.length === 0) skipped.push({ version: set.version, reasons });
    }
    for (const set of candidates.slice(0, 1))
      for (const f of set.files)
        if (LEGACY_FILETYPES.has(f.filetype))
          notes.push(`legacy filetype '${f.filetype}' of ${f.filename} kept as it is`);
    if (candidates.length === 0)
      warnings.push(
        `${resource.name} ${resource.architecture}: no complete set, not migrated (${skipped
          .map((s) => `${s.version}: ${s.reasons.join('; ')}`)
          .join(' | ')})`,
      );
    resources.push({
      resource,
      type: resource.rtype === 0 ? 0 : 2,
      candidates,
      skipped,
      notes,
    });
  }
  const blobs = blobsOf(resources.map((r) => ({ planned: r, set: r.candidates[0] })));
  let bytesNeeded = 0;
  for (const blob of blobs.values()) bytesNeeded += blob.size;
  return { inventory, resources, blobs, bytesNeeded, warnings };
}

/** Distinct contents of the given sets; a digest known with two sizes is the caller's problem to report. */
export function blobsOf(
  chosen: readonly { planned: PlannedResource; set: MaasSet | undefined }[],
): Map<string, PlannedBlob> {
  const blobs = new Map<string, PlannedBlob>();
  for (const { planned, set } of chosen) {
    if (set === undefined) continue;
    for (const file of set.files) {
      const known = blobs.get(file.sha256);
      const syncedOnly = (known?.syncedOnly ?? true) && planned.type === 0;
      const preferred =
        known === undefined ||
        (known.file.location !== 'large-object' && file.location === 'large-object')
          ? file
          : known.file;
      blobs.set(file.sha256, { sha256: file.sha256, size: file.size, file: preferred, syncedOnly });
    }
  }
  return blobs;
}
