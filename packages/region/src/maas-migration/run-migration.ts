import type { Kysely } from 'kysely';
import pg from 'pg';
import { AppError } from '@kiln/node-kit';
import type { Database } from '../db/index.js';
import {
  completeOnRegion,
  IMPORT_LOCK,
  lockState,
  releaseLock,
  renewLock,
  tryAcquireLock,
  type ImageStore,
} from '../images/index.js';
import { applyToKiln, type ApplyReport, type ChosenResource } from './apply-to-kiln.js';
import { BlobProblem, isBlobProblem, type BlobProblemKind } from './blob-problem.js';
import {
  DEFAULT_CHUNK_BYTES,
  directorySource,
  largeObjectSource,
  regionHttpSource,
  upstreamSource,
  type ByteSource,
} from './byte-sources.js';
import { readMaasInventory } from './maas-database.js';
import { probePermissions, upstreamUrls } from './preflight.js';
import {
  beginMigration,
  finishMigration,
  holderIsGone,
  reportMigrationProgress,
} from './migration-state.js';
import { blobsOf, buildPlan, type MigrationPlan, type PlannedBlob } from './migration-plan.js';
import { Staging } from './staging.js';

export interface MigrateOptions {
  /** postgres:// URL of the MAAS region database (read only; never written). */
  readonly maasDatabaseUrl: string;
  /** A copy of a MAAS 3.5+ region's image-storage directory. */
  readonly imageStorage?: string | undefined;
  /** A MAAS 3.5+ region, e.g. http://maas:5240/MAAS/ (its boot-resources/ files need no auth). */
  readonly regionUrl?: string | undefined;
  readonly dryRun?: boolean | undefined;
  readonly refetchSynced?: boolean | undefined;
  readonly chunkBytes?: number | undefined;
  /** Kiln's keyring for images.maas.io, used for a source whose MAAS keyring is a host file. */
  readonly kilnKeyring: string;
  /** Who runs it (`pid@host`), shown to regions and used to refuse a second concurrent run. */
  readonly holder: string;
  readonly onEvent?: ((event: MigrationEvent) => void) | undefined;
  /** Free bytes of the store's file system (tests pass a smaller figure). */
  readonly freeBytes?: (() => Promise<number>) | undefined;
}

export type MigrationEvent =
  | {
      readonly kind: 'plan';
      readonly plan: MigrationPlan;
      readonly toCopy: number;
      readonly freeBytes: number;
    }
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  | {
      readonly kind: 'blob';
      readonly sha256: string;
      readonly size: number;
      readonly outcome: 'copied' | 'present' | 'kiln' | 'problem';
      readonly resumedFrom: number;
      readonly from: string;
    };

export interface BlobReport {
  readonly sha256: string;
  readonly kind: BlobProblemKind;
  readonly message: string;
  readonly files: readonly string[];
}

export interface MigrationResult {
  readonly plan: MigrationPlan;
  readonly dryRun: boolean;
  /** Bytes not yet in Kiln that the run had (or, dry, would have) to read. */
  readonly toCopy: number;
  readonly freeBytes: number;
  readonly copied: number;
  readonly present: number;
  readonly bytesRead: number;
  readonly resumed: readonly { sha256: string; from: number }[];
  readonly problems: readonly BlobReport[];
  readonly chosen: readonly { name: string; architecture: string; version: string }[];
  readonly notMigrated: readonly string[];
  readonly refetched: number;
  readonly applied: ApplyReport | null;
}

interface Context {
  readonly options: MigrateOptions;
  readonly client: pg.Client;
  readonly staging: Staging;
  readonly inKiln: ReadonlyMap<string, number>;
  readonly sources: {
    readonly database: ByteSource;
    readonly disk: ByteSource | null;
    readonly upstream: (ByteSource & { has(sha256: string): boolean }) | null;
  };
}

/** The URL without its password, for messages and the state row. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function sourceFor(ctx: Context, blob: PlannedBlob): ByteSource {
  if (ctx.sources.upstream?.has(blob.sha256) === true && blob.syncedOnly)
    return ctx.sources.upstream;
  if (blob.file.location === 'large-object') return ctx.sources.database;
  if (ctx.sources.disk === null)
    throw new BlobProblem(
      'unavailable',
      blob.sha256,
      'on a MAAS region disk: pass --image-storage DIR or --region-url URL',
    );
  return ctx.sources.disk;
}

/**
 * `kiln migrate-from-maas`: reads a MAAS database in one REPEATABLE READ READ ONLY snapshot,
 * plans, checks space and large-object rights up front, copies each resource's newest complete
 * set into staging (resumable), then publishes the files and writes Kiln's rows in one
 * transaction. Nothing is written to the MAAS database.
 */
export async function migrateFromMaas(
  db: Kysely<Database>,
  store: ImageStore,
  regionId: string,
  options: MigrateOptions,
): Promise<MigrationResult> {
  if (options.imageStorage !== undefined && options.regionUrl !== undefined)
    throw new AppError(
      'MAAS_MIGRATION_OPTIONS',
      'Pass either --image-storage or --region-url, not both.',
    );
  const emit = options.onEvent ?? (() => undefined);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const client = new pg.Client({ connectionString: options.maasDatabaseUrl });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new AppError(
      'MAAS_DATABASE_UNREACHABLE',
      `Cannot connect to the MAAS database ${redact(options.maasDatabaseUrl)}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    await client.query('begin isolation level repeatable read read only');
    const inventory = await readMaasInventory(client);
    const plan = buildPlan(inventory);
    await store.ensure();
    const staging = new Staging(store);
    const inKiln = await completeOnRegion(db, regionId);
    const upstream =
      options.refetchSynced === true
        ? upstreamSource(await upstreamUrls(inventory, options.kilnKeyring))
        : null;
    const ctx: Context = {
      options,
      client,
      staging,
      inKiln,
      sources: {
        database: largeObjectSource(client, chunkBytes),
        disk:
          options.imageStorage !== undefined
            ? directorySource(options.imageStorage, chunkBytes)
            : options.regionUrl !== undefined
              ? regionHttpSource(options.regionUrl)
              : null,
        upstream,
      },
    };
    const wanted = [...plan.blobs.values()].filter((b) => inKiln.get(b.sha256) !== b.size);
    let toCopy = 0;
    for (const blob of wanted) toCopy += await staging.remaining(blob);
    const freeBytes = await (options.freeBytes ?? (() => store.freeBytes()))();
    emit({ kind: 'plan', plan, toCopy, freeBytes });
    const onDisk = wanted.filter((b) => b.file.location === 'disk');
    if (onDisk.length > 0 && ctx.sources.disk === null && options.dryRun !== true)
      throw new AppError(
        'MAAS_MIGRATION_NEEDS_FILES',
        `${onDisk.length} image files are on MAAS region disks (${inventory.info.version}): pass --image-storage DIR (a copy of /var/lib/maas/image-storage) or --region-url http://<region>:5240/MAAS/`,
      );
    if (toCopy > freeBytes)
      throw new AppError(
        'MAAS_MIGRATION_NO_SPACE',
        `Not enough space in ${store.root}: the migration needs ${toCopy} bytes and ${freeBytes} bytes are free (${toCopy - freeBytes} missing). Free space and rerun; nothing was changed.`,
        { details: { needed: toCopy, free: freeBytes } },
      );
    // Older complete sets are fallbacks when a newer one fails verification: probe them too.
    const everyCandidate = blobsOf(
      plan.resources.flatMap((planned) => planned.candidates.map((set) => ({ planned, set }))),
    );
    await probePermissions(
      client,
      [...everyCandidate.values()].filter(
        (b) =>
          inKiln.get(b.sha256) !== b.size && !(upstream?.has(b.sha256) === true && b.syncedOnly),
      ),
    );
    if (options.dryRun === true)
      return {
        plan,
        dryRun: true,
        toCopy,
        freeBytes,
        copied: 0,
        present: 0,
        bytesRead: 0,
        resumed: [],
        problems: [],
        chosen: [],
        notMigrated: plan.warnings,
        refetched: 0,
        applied: null,
      };
    return await copyAndApply(db, regionId, ctx, plan, toCopy, freeBytes);
  } finally {
    await client.query('rollback').catch(() => undefined);
    await client.end();
  }
}

async function copyAndApply(
  db: Kysely<Database>,
  regionId: string,
  ctx: Context,
  plan: MigrationPlan,
  toCopy: number,
  freeBytes: number,
): Promise<MigrationResult> {
  const { options } = ctx;
  const emit = options.onEvent ?? (() => undefined);
  const held = await lockState(db, IMPORT_LOCK);
  // A migration killed with -9 on this host leaves its lease for up to 30 s: take it over.
  if (held !== null && holderIsGone(held.holder)) await releaseLock(db, IMPORT_LOCK, held.holder);
  if (!(await tryAcquireLock(db, IMPORT_LOCK, options.holder)))
    throw new AppError(
      'MAAS_MIGRATION_IMPORT_RUNNING',
      'An image import is running on a region; run the migration when it has finished.',
    );
  const pending = plan.resources
    .filter((r) => r.candidates.length > 0)
    .map((r) => ({ name: r.resource.name, architecture: r.resource.architecture }));
  try {
    await beginMigration(db, options.holder, redact(ctx.options.maasDatabaseUrl), pending, toCopy);
    let done = 0;
    let lastBeat = 0;
    const beat = async (force: boolean): Promise<void> => {
      const now = Date.now();
      if (!force && now - lastBeat < 1000) return;
      lastBeat = now;
      await reportMigrationProgress(db, options.holder, done);
      await renewLock(db, IMPORT_LOCK, options.holder);
    };
    const outcomes = new Map<string, BlobProblem | 'ok'>();
    const resumed: { sha256: string; from: number }[] = [];
    let copied = 0;
    let present = 0;
    let bytesRead = 0;
    let refetched = 0;
    const toPublish: string[] = [];
    const ensure = async (blob: PlannedBlob): Promise<BlobProblem | 'ok'> => {
      const known = outcomes.get(blob.sha256);
      if (known !== undefined) return known;
      let outcome: BlobProblem | 'ok' = 'ok';
      if (ctx.inKiln.get(blob.sha256) === blob.size) {
        emit({
          kind: 'blob',
          sha256: blob.sha256,
          size: blob.size,
          outcome: 'kiln',
          resumedFrom: 0,
          from: 'Kiln',
        });
      } else {
        let source: ByteSource | null = null;
        try {
          source = sourceFor(ctx, blob);
          let result = await copyOne(ctx, blob, source, (n) => {
            done += n;
            emit({ kind: 'progress', done, total: toCopy });
            beat(false).catch(() => undefined);
          });
          if (result === null && source === ctx.sources.upstream) {
            // Upstream answered with other bytes: the MAAS copy is the original, take it.
            source = sourceFor({ ...ctx, sources: { ...ctx.sources, upstream: null } }, blob);
            result = await copyOne(ctx, blob, source, (n) => {
              done += n;
              emit({ kind: 'progress', done, total: toCopy });
            });
          }
          if (result === null) throw new Error('unreachable');
          if (source === ctx.sources.upstream) refetched += 1;
          if (result.result === 'copied') copied += 1;
          else present += 1;
          if (result.resumedFrom > 0)
            resumed.push({ sha256: blob.sha256, from: result.resumedFrom });
          bytesRead += result.bytesRead;
          toPublish.push(blob.sha256);
          emit({
            kind: 'blob',
            sha256: blob.sha256,
            size: blob.size,
            outcome: result.result,
            resumedFrom: result.resumedFrom,
            from: source.description,
          });
        } catch (error) {
          if (!isBlobProblem(error)) throw error;
          outcome = error;
          emit({
            kind: 'blob',
            sha256: blob.sha256,
            size: blob.size,
            outcome: 'problem',
            resumedFrom: 0,
            from: source?.description ?? '',
          });
        }
      }
      outcomes.set(blob.sha256, outcome);
      return outcome;
    };
    const chosen: ChosenResource[] = [];
    const notMigrated: string[] = [...plan.warnings];
    for (const planned of plan.resources) {
      let taken = false;
      for (const set of planned.candidates) {
        let ok = true;
        for (const blob of blobsOf([{ planned, set }]).values())
          if ((await ensure(blob)) !== 'ok') ok = false;
        if (ok) {
          chosen.push({ resource: planned.resource, type: planned.type, set });
          taken = true;
          break;
        }
      }
      if (!taken && planned.candidates.length > 0)
        notMigrated.push(
          `${planned.resource.name} ${planned.resource.architecture}: no set could be copied intact`,
        );
    }
    await beat(true);
    for (const sha of toPublish) await ctx.staging.publish(sha);
    await ctx.staging.syncStore();
    const applied = await applyToKiln(db, regionId, plan.inventory, chosen, options.kilnKeyring);
    const problems: BlobReport[] = [];
    for (const [sha, outcome] of outcomes) {
      if (outcome === 'ok') continue;
      const files = plan.resources.flatMap((r) =>
        r.candidates.flatMap((s) =>
          s.files
            .filter((f) => f.sha256 === sha)
            .map((f) => `${r.resource.name} ${r.resource.architecture} ${s.version} ${f.filename}`),
        ),
      );
      problems.push({ sha256: sha, kind: outcome.kind, message: outcome.message, files });
    }
    const summary = `${chosen.length} images migrated, ${copied} files copied, ${present} already there, ${problems.length} problems`;
    await finishMigration(db, options.holder, { state: 'completed', message: summary });
    return {
      plan,
      dryRun: false,
      toCopy,
      freeBytes,
      copied,
      present,
      bytesRead,
      resumed,
      problems,
      chosen: chosen.map((c) => ({
        name: c.resource.name,
        architecture: c.resource.architecture,
        version: c.set.version,
      })),
      notMigrated,
      refetched,
      applied,
    };
  } catch (error) {
    await finishMigration(db, options.holder, {
      state: 'failed',
      message: error instanceof Error ? error.message : String(error),
    }).catch(() => undefined);
    throw error;
  } finally {
    await releaseLock(db, IMPORT_LOCK, options.holder).catch(() => undefined);
  }
}

/** One copy; null when `--refetch-synced` got bytes that do not hash to the MAAS digest. */
async function copyOne(
  ctx: Context,
  blob: PlannedBlob,
  source: ByteSource,
  onBytes: (n: number) => void,
): Promise<Awaited<ReturnType<Staging['copy']>> | null> {
  try {
    return await ctx.staging.copy(blob, source, onBytes);
  } catch (error) {
    if (source === ctx.sources.upstream && isBlobProblem(error)) return null;
    throw error;
  }
}
