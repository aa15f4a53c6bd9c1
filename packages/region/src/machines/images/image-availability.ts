import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.js';

/** One verified file of a boot resource set, addressed on the rack by sha256. */
export interface BootImageFile {
  readonly filename: string;
  readonly filetype: string;
  readonly sha256: string;
  readonly size: number;
  /** `<sha256>/<os>/<arch>/<subarch>/<release>/<label>/<filename>` (spec §5.3). */
  readonly path: string;
}

export interface BootImage {
  readonly osystem: string;
  readonly release: string;
  readonly arch: string;
  readonly subarch: string;
  readonly label: string;
  readonly version: string;
  readonly files: readonly BootImageFile[];
}

export interface ImageQuery {
  readonly osystem: string;
  readonly release: string;
  /** Debian arch, `amd64`. */
  readonly arch: string;
  /** Preferred kernel subarch (`hwe_kernel`, `ga-24.04`); `generic` and then any other match. */
  readonly subarch?: string | undefined;
}

/**
 * The seam between the machine lifecycle and the image store: "is there a complete image for this
 * release/arch, and which files make it up". Deploy refuses without one (seed takeaway 4), and the
 * boot-purpose answer takes kernel, initrd and root from it.
 */
export interface ImageAvailability {
  find(query: ImageQuery): Promise<BootImage | null>;
}

interface FileRow {
  resource_name: string;
  architecture: string;
  set_id: number;
  version: string;
  label: string;
  filename: string;
  filetype: string;
  sha256: string;
  size: number | string;
  synced: number | string;
  holders: number | string;
  regions: number | string;
}

/** Custom uploads are stored under their bare name, MAAS's way; every other image as `<os>/<release>`. */
function resourceName(query: ImageQuery): string {
  return query.osystem === 'custom' ? query.release : `${query.osystem}/${query.release}`;
}

function subarchRank(subarch: string, wanted: string | undefined): number {
  if (wanted !== undefined && subarch === wanted) return 0;
  if (subarch === 'generic') return 1;
  if (subarch.startsWith('ga-')) return 2;
  return 3;
}

/**
 * Default implementation over the image import's tables (MAAS's model, spec §1.7, §3.4):
 * `boot_resources(id, name "<os>/<release>", architecture "<arch>/<subarch>")`,
 * `boot_resource_sets(id, resource_id, version, label)`,
 * `boot_resource_files(id, set_id, filename, filetype, sha256, size)` and
 * `boot_resource_file_syncs(file_id, region_id, size)`: a file is complete when some region holds
 * it and every region the image sync marks required does (`region_sync_states.required`, issue 12).
 */
export function databaseImageAvailability(db: Kysely<Database>): ImageAvailability {
  return {
    async find(query) {
      // One statement per boot request (this runs for every machine that asks the rack what to
      // boot): the tables always exist (migration 0004-images), so no schema introspection, and
      // the region count rides along as a column instead of a second round trip.
      const rows = await sql<FileRow>`
        select r.name as resource_name, r.architecture, s.id as set_id, s.version, s.label,
               f.filename, f.filetype, f.sha256, f.size,
               (select coalesce(sum(y.size), 0) from boot_resource_file_syncs y
                  join region_sync_states q on q.region_id = y.region_id and q.required = 1
                 where y.file_id = f.id) as synced,
               (select count(*) from boot_resource_file_syncs y
                 where y.file_id = f.id and y.size >= f.size) as holders,
               (select count(*) from region_sync_states q where q.required = 1) as regions
        from boot_resources r
        join boot_resource_sets s on s.resource_id = r.id
        join boot_resource_files f on f.set_id = s.id
        where r.name = ${resourceName(query)}
          and r.architecture like ${`${query.arch}/%`}`.execute(db);
      const sets = new Map<number, FileRow[]>();
      for (const row of rows.rows) sets.set(row.set_id, [...(sets.get(row.set_id) ?? []), row]);
      const complete = [...sets.values()].filter((files) =>
        files.every(
          (f) => Number(f.holders) > 0 && Number(f.synced) >= Number(f.size) * Number(f.regions),
        ),
      );
      complete.sort((a, b) => {
        const [x, y] = [a[0], b[0]];
        if (x === undefined || y === undefined) return 0;
        const rank =
          subarchRank(x.architecture.split('/')[1] ?? '', query.subarch) -
          subarchRank(y.architecture.split('/')[1] ?? '', query.subarch);
        return rank !== 0 ? rank : y.version.localeCompare(x.version);
      });
      const best = complete[0];
      const head = best?.[0];
      if (best === undefined || head === undefined) return null;
      const subarch = head.architecture.split('/')[1] ?? 'generic';
      return {
        osystem: query.osystem,
        release: query.release,
        arch: query.arch,
        subarch,
        label: head.label,
        version: head.version,
        files: best.map((f) => ({
          filename: f.filename,
          filetype: f.filetype,
          sha256: f.sha256,
          size: Number(f.size),
          path: [
            f.sha256,
            query.osystem,
            query.arch,
            subarch,
            query.release,
            head.label,
            f.filename,
          ].join('/'),
        })),
      };
    },
  };
}

export const ROOT_FILETYPES = ['squashfs', 'root-tgz', 'root-tbz', 'root-txz', 'root-dd'];

/** The file of `image` with one of `filetypes`, in that order of preference. */
export function fileOfType(
  image: BootImage,
  filetypes: readonly string[],
): BootImageFile | undefined {
  for (const type of filetypes) {
    const found = image.files.find((f) => f.filetype === type || f.filetype.startsWith(`${type}.`));
    if (found !== undefined) return found;
  }
  return undefined;
}
