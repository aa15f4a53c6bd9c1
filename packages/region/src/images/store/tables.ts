import type { Generated, Selectable } from 'kysely';

/** Tables of migration 0004-images (see there for what each column means). */
export interface BootResourcesTable {
  id: Generated<number>;
  type: number;
  name: string;
  architecture: string;
  alias: Generated<string>;
  base_image: Generated<string>;
  bootloader_type: string | null;
  extra: Generated<string>;
  created: string;
  updated: string;
}

export interface BootResourceSetsTable {
  id: Generated<number>;
  resource_id: number;
  version: string;
  label: string;
  created: string;
}

export interface BootResourceFilesTable {
  id: Generated<number>;
  set_id: number;
  filename: string;
  filetype: string;
  sha256: string;
  size: number;
  source_id: number | null;
  source_path: string | null;
  extra: Generated<string>;
  created: string;
}

export interface BootResourceFileSyncsTable {
  file_id: number;
  region_id: string;
  size: number;
}

export interface BootSourceCacheTable {
  id: Generated<number>;
  boot_source_id: number;
  os: string;
  arch: string;
  subarch: string;
  release: string;
  label: string;
  kflavor: Generated<string>;
  bootloader_type: string | null;
  release_title: Generated<string>;
  release_codename: Generated<string>;
  support_eol: string | null;
  created: string;
}

export interface LocksTable {
  name: string;
  holder: string;
  expires: number;
  stop_requested: Generated<number>;
}

declare module '../../db/schema.js' {
  interface Database {
    boot_resources: BootResourcesTable;
    boot_resource_sets: BootResourceSetsTable;
    boot_resource_files: BootResourceFilesTable;
    boot_resource_file_syncs: BootResourceFileSyncsTable;
    boot_source_cache: BootSourceCacheTable;
    locks: LocksTable;
  }
}

export type BootResourceRow = Selectable<BootResourcesTable>;
export type BootResourceSetRow = Selectable<BootResourceSetsTable>;
export type BootResourceFileRow = Selectable<BootResourceFilesTable>;

/** MAAS's BOOT_RESOURCE_TYPE values (Generated, 1, was dropped in MAAS 3.x). */
export const RESOURCE_TYPE = { synced: 0, uploaded: 2 } as const;
export const RESOURCE_TYPE_NAME: Readonly<Record<number, string>> = { 0: 'Synced', 2: 'Uploaded' };
