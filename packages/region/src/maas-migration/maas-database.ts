import type pg from 'pg';
import { AppError } from '@kiln/node-kit';

/**
 * Where a MAAS database keeps image bytes: up to 3.4 in PostgreSQL large objects; 3.5 to 3.8
 * on region disks after a one-time export that may not have run yet (mid-export: some files
 * still have a large object); 3.8+/master only on disk.
 */
export type MaasLayout = 'large-objects' | 'mid-export' | 'disk';

export interface MaasDatabaseInfo {
  readonly layout: MaasLayout;
  /** Human-readable MAAS version range, from the schema and django_migrations. */
  readonly version: string;
  readonly lastMigration: string | null;
  readonly hasFileNameOnDisk: boolean;
  readonly hasFileSync: boolean;
}

export interface MaasSource {
  readonly id: number;
  readonly url: string;
  readonly keyringFilename: string;
  readonly keyringData: Buffer;
}

export interface MaasSelection {
  readonly sourceId: number;
  readonly os: string;
  readonly release: string;
  readonly arches: readonly string[];
  readonly subarches: readonly string[];
  readonly labels: readonly string[];
}

export interface MaasFile {
  readonly id: number;
  readonly filename: string;
  readonly filetype: string;
  readonly extra: Record<string, unknown>;
  /** The expected digest (MAAS stores the stream's or the upload's, not the bytes'). */
  readonly sha256: string;
  /** The expected length. */
  readonly size: number;
  /** Where the bytes are: a large object (oid) or a region disk (file name). */
  readonly location: 'large-object' | 'disk';
  readonly oid: number | null;
  readonly largeObjectExists: boolean;
  /** Bytes present: the LargeFile's `size`, or the best region copy's synced size. */
  readonly written: number;
  readonly nameOnDisk: string;
}

export interface MaasSet {
  readonly id: number;
  readonly version: string;
  readonly label: string;
  readonly files: readonly MaasFile[];
}

export interface MaasResource {
  readonly id: number;
  /** 0 synced, 1 generated (legacy), 2 uploaded. */
  readonly rtype: number;
  readonly name: string;
  readonly architecture: string;
  readonly extra: Record<string, unknown>;
  readonly kflavor: string | null;
  readonly bootloaderType: string | null;
  readonly rolling: boolean;
  readonly baseImage: string;
  /** Newest (highest id) first. */
  readonly sets: readonly MaasSet[];
}

export interface MaasInventory {
  readonly info: MaasDatabaseInfo;
  readonly sources: readonly MaasSource[];
  readonly selections: readonly MaasSelection[];
  readonly settings: Readonly<Record<string, unknown>>;
  readonly resources: readonly MaasResource[];
}

/** The `maasserver_config` rows Kiln takes over. */
export const MIGRATED_SETTINGS = [
  'boot_images_auto_import',
  'commissioning_osystem',
  'commissioning_distro_series',
  'default_osystem',
  'default_distro_series',
  'enable_http_proxy',
  'http_proxy',
  'boot_images_no_proxy',
] as const;

async function tableExists(client: pg.ClientBase, table: string): Promise<boolean> {
  const { rows } = await client.query<{ n: string }>(
    `select count(*) as n from information_schema.tables
      where table_schema = current_schema() and table_name = $1`,
    [table],
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

async function columnsOf(client: pg.ClientBase, table: string): Promise<Set<string>> {
  const { rows } = await client.query<{ column_name: string }>(
    `select column_name from information_schema.columns
      where table_schema = current_schema() and table_name = $1`,
    [table],
  );
  return new Set(rows.map((r) => r.column_name));
}

function migrationNumber(name: string | null): number {
  return name === null ? -1 : Number(/^(\d{4})_/.exec(name)?.[1] ?? -1);
}

/** Reads the layout from information_schema and the version from django_migrations. */
export async function detectMaasDatabase(client: pg.ClientBase): Promise<MaasDatabaseInfo> {
  if (!(await tableExists(client, 'maasserver_bootresourcefile')))
    throw new AppError(
      'MAAS_DATABASE_NOT_MAAS',
      'This database has no maasserver_bootresourcefile table: it is not a MAAS region database.',
    );
  const fileColumns = await columnsOf(client, 'maasserver_bootresourcefile');
  const hasLargeFile =
    (await tableExists(client, 'maasserver_largefile')) && fileColumns.has('largefile_id');
  const layout: MaasLayout = !hasLargeFile
    ? 'disk'
    : fileColumns.has('sha256')
      ? 'mid-export'
      : 'large-objects';
  let lastMigration: string | null = null;
  if (await tableExists(client, 'django_migrations')) {
    const { rows } = await client.query<{ name: string }>(
      `select name from django_migrations where app = 'maasserver' order by name desc limit 1`,
    );
    lastMigration = rows[0]?.name ?? null;
  }
  const n = migrationNumber(lastMigration);
  const version =
    layout === 'large-objects'
      ? 'MAAS 3.4 or earlier (images in large objects)'
      : layout === 'mid-export'
        ? `MAAS ${n >= 330 ? '3.5.2–3.8' : '3.5.0–3.5.1'} (images partly in large objects, partly on region disks)`
        : 'MAAS 3.8 or later (images on region disks)';
  return {
    layout,
    version,
    lastMigration,
    hasFileNameOnDisk: fileColumns.has('filename_on_disk'),
    hasFileSync: await tableExists(client, 'maasserver_bootresourcefilesync'),
  };
}

interface FileRow {
  id: string;
  resource_set_id: string;
  filename: string;
  filetype: string;
  extra: Record<string, unknown> | null;
  sha256: string;
  size: string;
  oid: string | null;
  lo_exists: boolean;
  written: string | null;
  name_on_disk: string | null;
}

function filesQuery(info: MaasDatabaseInfo): string {
  const synced = info.hasFileSync
    ? `(select max(y.size) from maasserver_bootresourcefilesync y where y.file_id = f.id)`
    : 'f.size';
  const onDisk = info.hasFileNameOnDisk ? `nullif(f.filename_on_disk, '')` : 'null';
  if (info.layout === 'large-objects')
    return `select f.id, f.resource_set_id, f.filename, f.filetype, f.extra, l.sha256,
                   l.total_size as size, l.content::bigint as oid, m.oid is not null as lo_exists,
                   l.size as written, null as name_on_disk
              from maasserver_bootresourcefile f
              join maasserver_largefile l on l.id = f.largefile_id
              left join pg_largeobject_metadata m on m.oid = l.content
             order by f.id`;
  if (info.layout === 'mid-export')
    return `select f.id, f.resource_set_id, f.filename, f.filetype, f.extra,
                   coalesce(l.sha256, f.sha256) as sha256, coalesce(l.total_size, f.size) as size,
                   l.content::bigint as oid, m.oid is not null as lo_exists,
                   case when l.id is null then ${synced} else l.size end as written,
                   ${onDisk} as name_on_disk
              from maasserver_bootresourcefile f
              left join maasserver_largefile l on l.id = f.largefile_id
              left join pg_largeobject_metadata m on m.oid = l.content
             order by f.id`;
  return `select f.id, f.resource_set_id, f.filename, f.filetype, f.extra, f.sha256, f.size,
                 null::bigint as oid, false as lo_exists, ${synced} as written,
                 ${onDisk} as name_on_disk
            from maasserver_bootresourcefile f order by f.id`;
}

function toFile(row: FileRow): MaasFile {
  const location = row.oid === null ? 'disk' : 'large-object';
  return {
    id: Number(row.id),
    filename: row.filename,
    filetype: row.filetype,
    extra: row.extra ?? {},
    sha256: row.sha256.trim().toLowerCase(),
    size: Number(row.size),
    location,
    oid: row.oid === null ? null : Number(row.oid),
    largeObjectExists: row.lo_exists,
    written: row.written === null ? 0 : Number(row.written),
    nameOnDisk: row.name_on_disk ?? row.sha256.trim().toLowerCase(),
  };
}

/**
 * Reads everything the migration needs. Call inside the migration's read-only snapshot so the
 * inventory and the large objects read later agree.
 */
export async function readMaasInventory(client: pg.ClientBase): Promise<MaasInventory> {
  const info = await detectMaasDatabase(client);
  const sources = (
    await client.query<{ id: string; url: string; keyring_filename: string; keyring_data: Buffer }>(
      'select id, url, keyring_filename, keyring_data from maasserver_bootsource order by id',
    )
  ).rows.map((r) => ({
    id: Number(r.id),
    url: r.url,
    keyringFilename: r.keyring_filename,
    keyringData: Buffer.from(r.keyring_data),
  }));
  const selections = (
    await client.query<{
      boot_source_id: string;
      os: string;
      release: string;
      arches: string[] | null;
      subarches: string[] | null;
      labels: string[] | null;
    }>(
      `select boot_source_id, os, release, arches, subarches, labels
         from maasserver_bootsourceselection order by id`,
    )
  ).rows.map((r) => ({
    sourceId: Number(r.boot_source_id),
    os: r.os,
    release: r.release,
    arches: r.arches ?? ['*'],
    subarches: r.subarches ?? ['*'],
    labels: r.labels ?? ['*'],
  }));
  const settings: Record<string, unknown> = {};
  for (const row of (
    await client.query<{ name: string; value: unknown }>(
      'select name, value from maasserver_config where name = any($1)',
      [[...MIGRATED_SETTINGS]],
    )
  ).rows)
    settings[row.name] = row.value;
  const files = (await client.query<FileRow>(filesQuery(info))).rows;
  const filesBySet = new Map<number, MaasFile[]>();
  for (const row of files) {
    const setId = Number(row.resource_set_id);
    filesBySet.set(setId, [...(filesBySet.get(setId) ?? []), toFile(row)]);
  }
  const sets = (
    await client.query<{ id: string; resource_id: string; version: string; label: string }>(
      'select id, resource_id, version, label from maasserver_bootresourceset order by id desc',
    )
  ).rows;
  const setsByResource = new Map<number, MaasSet[]>();
  for (const s of sets) {
    const resourceId = Number(s.resource_id);
    const set = {
      id: Number(s.id),
      version: s.version,
      label: s.label,
      files: filesBySet.get(Number(s.id)) ?? [],
    };
    setsByResource.set(resourceId, [...(setsByResource.get(resourceId) ?? []), set]);
  }
  const resources = (
    await client.query<{
      id: string;
      rtype: number;
      name: string;
      architecture: string;
      extra: Record<string, unknown> | null;
      kflavor: string | null;
      bootloader_type: string | null;
      rolling: boolean | null;
      base_image: string | null;
    }>(
      `select id, rtype, name, architecture, extra, kflavor, bootloader_type, rolling, base_image
         from maasserver_bootresource order by id`,
    )
  ).rows.map((r) => ({
    id: Number(r.id),
    rtype: r.rtype,
    name: r.name,
    architecture: r.architecture,
    extra: r.extra ?? {},
    kflavor: r.kflavor === '' ? null : r.kflavor,
    bootloaderType: r.bootloader_type === '' ? null : r.bootloader_type,
    rolling: r.rolling === true,
    baseImage: r.base_image ?? '',
    sets: setsByResource.get(Number(r.id)) ?? [],
  }));
  return { info, sources, selections, settings, resources };
}
