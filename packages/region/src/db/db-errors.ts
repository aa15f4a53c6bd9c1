import { statfsSync } from 'node:fs';
import { AppError, isAppError } from '@kiln/node-kit';

/**
 * What the two drivers say when a write breaks a rule the schema enforces, turned into the
 * errors a client or operator can act on. Done once here, under every query, so no handler has
 * to remember to pre-check a name (and a race between the check and the write is covered too).
 */
interface DriverError {
  readonly code?: unknown;
  readonly message?: unknown;
  /** PostgreSQL only. */
  readonly table?: unknown;
  readonly detail?: unknown;
}

/** `resource_pools` → `Resource pool`, `boot_source_selections` → `Boot source selection`. */
function modelName(table: string): string {
  const words = table.replace(/ies$/, 'y').replace(/s$/, '').split('_');
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `name` → `Name`, `fabric_id` → `Fabric` (MAAS names a foreign key by its model). */
function fieldLabel(column: string): string {
  const text = column.replace(/_id$/, '').replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function joinLabels(labels: string[]): string {
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels.at(-1) ?? ''}`;
}

/** The table and columns of a unique violation, from either driver's error. */
export function uniqueViolation(error: unknown): { table: string; columns: string[] } | undefined {
  const e = error as DriverError | null;
  if (e === null || typeof e !== 'object') return undefined;
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: vlans.fabric_id, vlans.vid"
    const list = /constraint failed: (.+)$/.exec(String(e.message))?.[1];
    if (list === undefined) return undefined;
    const pairs = list.split(',').map((item) => item.trim().split('.'));
    const table = pairs[0]?.[0] ?? '';
    return { table, columns: pairs.map((pair) => pair[1] ?? pair[0] ?? '') };
  }
  if (e.code === '23505') {
    // detail: "Key (fabric_id, vid)=(1, 5) already exists."
    const list = /^Key \((.+?)\)=/.exec(String(e.detail))?.[1];
    const table = typeof e.table === 'string' ? e.table : '';
    if (list === undefined) return { table, columns: [] };
    return { table, columns: list.split(',').map((column) => column.trim()) };
  }
  return undefined;
}

function isDiskFull(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC';
}

/** Free bytes on the disk holding `path` (the SQLite file's folder), if it can be read. */
export function freeBytesAt(path: string): number | undefined {
  try {
    const info = statfsSync(path);
    return info.bavail * info.bsize;
  } catch {
    return undefined;
  }
}

export interface TranslateOptions {
  /** Where the database lives, named in disk-full errors: the SQLite folder, or the server. */
  readonly location: string;
  /** Free bytes there, when this process can see that disk (SQLite). */
  readonly freeBytes?: () => number | undefined;
}

/** A driver error as the AppError to answer with, or the error unchanged. */
export function translateDatabaseError(error: unknown, options: TranslateOptions): unknown {
  if (isAppError(error)) return error;
  const unique = uniqueViolation(error);
  if (unique !== undefined) {
    const labels = unique.columns.map(fieldLabel);
    const message = `${modelName(unique.table)} with this ${joinLabels(labels)} already exists.`;
    // MAAS puts a clash over several fields under __all__; one field under its own name.
    const field = unique.columns.length === 1 ? (unique.columns[0] ?? '__all__') : '__all__';
    return new AppError('DB_UNIQUE_VIOLATION', `${field}: ${message}`, {
      details: { fields: { [field]: [message] }, table: unique.table, columns: unique.columns },
      cause: error,
    });
  }
  const code = (error as DriverError | null)?.code;
  if (code === '22021' || code === '22P05') {
    // PostgreSQL refuses NUL in text (SQLite stores it): the client's value, so a 400 on both.
    return new AppError(
      'DB_INVALID_TEXT',
      'A value contains a character that cannot be stored (NUL bytes are not allowed).',
      { cause: error },
    );
  }
  if (isDiskFull(error)) {
    const freeBytes = options.freeBytes?.();
    return new AppError(
      'DB_DISK_FULL',
      `The database disk is full (${options.location}${freeBytes === undefined ? '' : `, ${freeBytes} bytes free`}); nothing was changed. Free some space and try again.`,
      { details: { location: options.location, freeBytes }, cause: error },
    );
  }
  return error;
}
