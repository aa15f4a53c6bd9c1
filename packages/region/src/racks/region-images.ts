import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';

/** An OS image a rack could serve: the boot files of its resource's newest usable set. */
export interface ServableImage {
  /** `<os>/<release> <arch>/<subarch>`, as the Controllers page shows it. */
  readonly label: string;
  readonly sha256s: readonly string[];
}

interface FileRow {
  resource_id: number;
  name: string;
  architecture: string;
  set_id: number;
  filetype: string;
  sha256: string;
  size: number | string;
  best: number | string;
}

/**
 * The images racks serve, for "which of them does this rack have cached". A set is usable when
 * each of its files has a complete copy on at least one region (the rack can fetch it); the
 * newest usable set per resource counts. Package manifests are never boot files, so they are
 * left out. Plain SQL, like `listBootImages`, keeps this off the image module's typings.
 */
export async function servableImages(db: Kysely<Database>): Promise<ServableImage[]> {
  const { rows } = await sql<FileRow>`
    select r.id as resource_id, r.name, r.architecture, s.id as set_id, f.filetype, f.sha256,
           f.size,
           (select coalesce(max(y.size), 0) from boot_resource_file_syncs y
             where y.file_id = f.id) as best
      from boot_resources r
      join boot_resource_sets s on s.resource_id = r.id
      join boot_resource_files f on f.set_id = s.id
     where r.bootloader_type is null
     order by r.name, r.architecture, s.id desc`.execute(db);
  const sets = new Map<number, { resource: number; label: string; files: FileRow[] }>();
  for (const row of rows) {
    if (row.filetype.includes('manifest')) continue;
    const set = sets.get(row.set_id) ?? {
      resource: row.resource_id,
      label: `${row.name} ${row.architecture}`,
      files: [],
    };
    set.files.push(row);
    sets.set(row.set_id, set);
  }
  const chosen = new Map<number, ServableImage>();
  // Map order follows the query: within a resource, newest set first.
  for (const set of sets.values()) {
    if (chosen.has(set.resource)) continue;
    if (!set.files.every((f) => Number(f.best) >= Number(f.size))) continue;
    chosen.set(set.resource, { label: set.label, sha256s: set.files.map((f) => f.sha256) });
  }
  return [...chosen.values()];
}
