import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "Migration from MAAS". */
export const MAAS_MIGRATION_ERRORS = {
  MAAS_DATABASE_UNREACHABLE: {
    status: 502,
    meaning: 'kiln migrate-from-maas cannot connect to the MAAS database given with --database.',
  },
  MAAS_DATABASE_NOT_MAAS: {
    status: 400,
    meaning:
      'The --database has no maasserver_bootresourcefile table: it is not a MAAS region database.',
  },
  MAAS_MIGRATION_OPTIONS: {
    status: 400,
    meaning: 'Both --image-storage and --region-url were given; pass one.',
  },
  MAAS_MIGRATION_NEEDS_FILES: {
    status: 400,
    meaning:
      'Image files are on MAAS 3.5+ region disks: pass --image-storage DIR or --region-url URL.',
  },
  MAAS_MIGRATION_NO_SPACE: {
    status: 507,
    meaning:
      "Kiln's image store lacks the space the migration needs (the message names needed and free bytes).",
  },
  MAAS_LARGE_OBJECT_PERMISSION: {
    status: 403,
    meaning:
      'The MAAS database role cannot read the large objects; the message gives the GRANT that fixes it.',
  },
  MAAS_MIGRATION_IMPORT_RUNNING: {
    status: 409,
    meaning: 'An image import holds the import lock; migrate when it has finished.',
  },
  MAAS_MIGRATION_RUNNING: {
    status: 409,
    meaning: 'Another live kiln migrate-from-maas process is running against this Kiln database.',
  },
  MAAS_MIGRATION_IN_PROGRESS: {
    status: 409,
    meaning:
      'Commissioning or deploying from an image that kiln migrate-from-maas is still copying.',
  },
} as const satisfies Record<string, ErrorSpec>;
