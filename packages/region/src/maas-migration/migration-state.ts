import { hostname } from 'node:os';
import { AppError } from '@kiln/node-kit';
import type { Kysely } from 'kysely';
import { nowIso, type Database } from '../db/index.js';
import { clearSystemNotification, setSystemNotification } from '../notifications/index.js';
import './tables.js';

/** There is one migration from MAAS per Kiln installation; reruns update the same row. */
const ROW_ID = 'maas';
export const MIGRATION_NOTIFICATION = 'maas_migration';
/** A running migration that has not reported for this long is taken as dead (killed, crashed). */
export const HEARTBEAT_STALE_MS = 60_000;

export type MigrationState = 'running' | 'failed' | 'interrupted' | 'completed';

export interface PendingImage {
  readonly name: string;
  readonly architecture: string;
}

export interface MigrationStatus {
  readonly state: MigrationState;
  readonly source: string;
  readonly pending: readonly PendingImage[];
  readonly totalBytes: number;
  readonly doneBytes: number;
  readonly message: string;
  readonly started: string;
  readonly finished: string | null;
}

function parsePending(text: string): PendingImage[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter(isPending) : [];
  } catch {
    return [];
  }
}

function isPending(value: unknown): value is PendingImage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.architecture === 'string';
}

/** The last migration's state, or null when none was ever run; a dead runner reads as interrupted. */
export async function migrationStatus(
  db: Kysely<Database>,
  now = Date.now(),
): Promise<MigrationStatus | null> {
  const row = await db
    .selectFrom('maas_migrations')
    .selectAll()
    .where('id', '=', ROW_ID)
    .executeTakeFirst();
  if (row === undefined) return null;
  const stale =
    row.state === 'running' &&
    (now - Number(row.heartbeat) > HEARTBEAT_STALE_MS || holderIsGone(row.holder));
  return {
    state: stale ? 'interrupted' : (row.state as MigrationState),
    source: row.source,
    pending: parsePending(row.pending),
    totalBytes: Number(row.total_bytes),
    doneBytes: Number(row.done_bytes),
    message: stale
      ? 'the migrating process stopped reporting; rerun kiln migrate-from-maas'
      : row.message,
    started: row.started,
    finished: row.finished,
  };
}

/** A holder named `pid@host` on this host whose process is gone (kill -9) holds nothing. */
export function holderIsGone(holder: string): boolean {
  const match = /^(\d+)@(.+)$/.exec(holder);
  if (match === null || match[2] !== hostname()) return false;
  try {
    process.kill(Number(match[1]), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Marks a migration as running. Refuses when another live process is migrating (its heartbeat is
 * fresh), so two runs never copy into the same staging files.
 */
export async function beginMigration(
  db: Kysely<Database>,
  holder: string,
  source: string,
  pending: readonly PendingImage[],
  totalBytes: number,
): Promise<void> {
  const now = Date.now();
  const values = {
    state: 'running',
    holder,
    heartbeat: now,
    source,
    pending: JSON.stringify(pending),
    total_bytes: totalBytes,
    done_bytes: 0,
    message: '',
    started: nowIso(),
    finished: null,
  };
  await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('maas_migrations')
      .select(['state', 'holder', 'heartbeat'])
      .where('id', '=', ROW_ID)
      .executeTakeFirst();
    if (
      current !== undefined &&
      current.state === 'running' &&
      current.holder !== holder &&
      now - Number(current.heartbeat) <= HEARTBEAT_STALE_MS &&
      !holderIsGone(current.holder)
    )
      throw new AppError(
        'MAAS_MIGRATION_RUNNING',
        `Another migration from MAAS is running (${current.holder}); wait for it or stop it first.`,
      );
    await trx
      .insertInto('maas_migrations')
      .values({ id: ROW_ID, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  });
  await setSystemNotification(db, MIGRATION_NOTIFICATION, {
    message: `Images are being migrated from MAAS (${pending.length} images). Machines cannot commission or deploy from those images until the migration finishes.`,
    category: 'warning',
    admins: true,
    users: true,
    dismissable: false,
  });
}

export async function reportMigrationProgress(
  db: Kysely<Database>,
  holder: string,
  doneBytes: number,
): Promise<void> {
  await db
    .updateTable('maas_migrations')
    .set({ heartbeat: Date.now(), done_bytes: doneBytes })
    .where('id', '=', ROW_ID)
    .where('holder', '=', holder)
    .execute();
}

export async function finishMigration(
  db: Kysely<Database>,
  holder: string,
  outcome: { readonly state: 'completed' | 'failed'; readonly message: string },
): Promise<void> {
  await db
    .updateTable('maas_migrations')
    .set({
      state: outcome.state,
      heartbeat: Date.now(),
      message: outcome.message,
      finished: nowIso(),
      ...(outcome.state === 'completed' ? { pending: '[]' } : {}),
    })
    .where('id', '=', ROW_ID)
    .where('holder', '=', holder)
    .execute();
  if (outcome.state === 'completed') await clearSystemNotification(db, MIGRATION_NOTIFICATION);
  else
    await setSystemNotification(db, MIGRATION_NOTIFICATION, {
      message: `The migration from MAAS failed and changed nothing: ${outcome.message}. Fix the cause and rerun kiln migrate-from-maas; it continues where it stopped.`,
      category: 'error',
      admins: true,
      users: false,
      dismissable: true,
    });
}

/**
 * Seeds' rule ("cannot commission or deploy until the migration succeeds"), narrowed to what is
 * actually missing: while a live migration is copying `osystem/release`, commissioning or
 * deploying from it is refused with the reason, instead of a bare "no image".
 */
export async function assertImageNotMigrating(
  db: Kysely<Database>,
  osystem: string,
  release: string,
  architecture: string,
): Promise<void> {
  const status = await migrationStatus(db);
  if (status?.state !== 'running') return;
  const arch = architecture.split('/')[0] ?? architecture;
  const name = `${osystem}/${release}`;
  const waiting = status.pending.some(
    (p) => (p.name === name || p.name === release) && p.architecture.split('/')[0] === arch,
  );
  if (!waiting) return;
  const percent = status.totalBytes === 0 ? 100 : (100 * status.doneBytes) / status.totalBytes;
  throw new AppError(
    'MAAS_MIGRATION_IN_PROGRESS',
    `The image ${name} (${arch}) is still being migrated from MAAS (${percent.toFixed(1)}% copied); commissioning and deploying from it wait until kiln migrate-from-maas finishes.`,
    { details: { osystem, release, arch } },
  );
}
