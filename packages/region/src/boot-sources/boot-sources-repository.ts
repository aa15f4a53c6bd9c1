import type { Kysely, Selectable } from 'kysely';
import { nowIso, type BootSourcesTable, type Database } from '../db/index.js';
import { isRowId, notFound, validationError } from '../domain-errors.js';
import { syncBootSourceNotifications } from './multiple-sources-notification.js';

export type BootSourceRow = Selectable<BootSourcesTable>;

export interface BootSourceInput {
  readonly url?: string | undefined;
  readonly keyringFilename?: string | undefined;
  readonly keyringData?: Buffer | undefined;
}

/** images.maas.io's daily stream is retired; MAAS points it at stable and so do we. */
export function normaliseSourceUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.hostname === 'images.maas.io') {
      parsed.pathname = parsed.pathname.replace(
        /\/ephemeral-v3\/daily(\/|$)/,
        '/ephemeral-v3/stable$1',
      );
    }
    return parsed.toString();
  } catch {
    return url;
  }
}

function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

export function listBootSources(db: Kysely<Database>): Promise<BootSourceRow[]> {
  return db.selectFrom('boot_sources').selectAll().orderBy('id').execute();
}

export async function getBootSource(db: Kysely<Database>, id: number): Promise<BootSourceRow> {
  const row = isRowId(id)
    ? await db.selectFrom('boot_sources').selectAll().where('id', '=', id).executeTakeFirst()
    : undefined;
  if (row === undefined) throw notFound('BOOT_SOURCE_NOT_FOUND', 'BootSource');
  return row;
}

/**
 * Creates (existing === null) or updates a boot source with MAAS's BootSourceForm rules:
 * url required, a valid http(s) URL and unique; exactly one keyring (file name or data).
 * Run inside a transaction so a rejected request changes nothing.
 */
export async function saveBootSource(
  trx: Kysely<Database>,
  existing: BootSourceRow | null,
  input: BootSourceInput,
): Promise<BootSourceRow> {
  const url = normaliseSourceUrl(input.url ?? existing?.url ?? '');
  const keyringFilename = input.keyringFilename ?? existing?.keyring_filename ?? '';
  const keyringData =
    input.keyringData ?? (existing === null ? Buffer.alloc(0) : Buffer.from(existing.keyring_data));
  const problems: Record<string, string[]> = {};
  if (url === '') problems.url = ['This field is required.'];
  else if (!isHttpUrl(url)) problems.url = ['Enter a valid URL.'];
  else {
    const clash = await trx
      .selectFrom('boot_sources')
      .select('id')
      .where('url', '=', url)
      .executeTakeFirst();
    if (clash !== undefined && clash.id !== existing?.id)
      problems.url = ['Boot source with this Url already exists.'];
  }
  if (keyringFilename === '' && keyringData.length === 0) {
    problems.__all__ = ['One of keyring_data or keyring_filename must be specified.'];
  } else if (keyringFilename !== '' && keyringData.length > 0) {
    problems.__all__ = ['Only one of keyring_filename or keyring_data can be specified.'];
  }
  if (Object.keys(problems).length > 0) throw validationError(problems);
  const now = nowIso();
  const values = {
    url,
    keyring_filename: keyringFilename,
    keyring_data: keyringData,
    updated: now,
  };
  const saved =
    existing === null
      ? await trx
          .insertInto('boot_sources')
          .values({ ...values, created: now })
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .updateTable('boot_sources')
          .set(values)
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow();
  await syncBootSourceNotifications(trx);
  return saved;
}

export async function deleteBootSource(trx: Kysely<Database>, id: number): Promise<void> {
  await getBootSource(trx, id);
  await trx.deleteFrom('boot_sources').where('id', '=', id).execute();
  await syncBootSourceNotifications(trx);
}
