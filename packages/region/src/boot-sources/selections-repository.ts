import type { Kysely, Selectable } from 'kysely';
import {
  nowIso,
  readJsonList,
  type BootSourceSelectionsTable,
  type Database,
} from '../db/index.js';
import { badRequest, isRowId, notFound, validationError } from '../domain-errors.js';
import type { BootSourceRow } from './boot-sources-repository.js';
import type { SelectionCandidate, SelectionValidator } from './selection-validator.js';

export type SelectionRow = Selectable<BootSourceSelectionsTable>;

export interface Selection extends SelectionCandidate {
  readonly id: number;
  readonly bootSourceId: number;
}

export interface SelectionInput {
  readonly os?: string | undefined;
  readonly release?: string | undefined;
  readonly arches?: readonly string[] | undefined;
  readonly subarches?: readonly string[] | undefined;
  readonly labels?: readonly string[] | undefined;
}

export function toSelection(row: SelectionRow): Selection {
  return {
    id: row.id,
    bootSourceId: row.boot_source_id,
    os: row.os,
    release: row.release,
    arches: readJsonList(row.arches),
    subarches: readJsonList(row.subarches),
    labels: readJsonList(row.labels),
  };
}

export async function listSelections(db: Kysely<Database>, sourceId: number): Promise<Selection[]> {
  const rows = await db
    .selectFrom('boot_source_selections')
    .selectAll()
    .where('boot_source_id', '=', sourceId)
    .orderBy('id')
    .execute();
  return rows.map(toSelection);
}

export async function getSelection(
  db: Kysely<Database>,
  sourceId: number,
  id: number,
): Promise<Selection> {
  const row =
    isRowId(id) && isRowId(sourceId)
      ? await db
          .selectFrom('boot_source_selections')
          .selectAll()
          .where('boot_source_id', '=', sourceId)
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
  if (row === undefined) throw notFound('BOOT_SOURCE_SELECTION_NOT_FOUND', 'BootSourceSelection');
  return toSelection(row);
}

const NAME = /^(\*|[A-Za-z0-9][A-Za-z0-9._-]*)$/;

/** Create (existing null) or update a selection with MAAS's form rules; run in a transaction. */
export async function saveSelection(
  trx: Kysely<Database>,
  source: BootSourceRow,
  existing: Selection | null,
  input: SelectionInput,
  validator: SelectionValidator,
): Promise<Selection> {
  const candidate: SelectionCandidate = {
    os: input.os ?? existing?.os ?? '',
    release: input.release ?? existing?.release ?? '',
    arches: input.arches ?? existing?.arches ?? ['*'],
    subarches: input.subarches ?? existing?.subarches ?? ['*'],
    labels: input.labels ?? existing?.labels ?? ['*'],
  };
  const problems: Record<string, string[]> = {};
  for (const field of ['os', 'release'] as const) {
    if (candidate[field] === '') problems[field] = ['This field is required.'];
    else if (!NAME.test(candidate[field]))
      problems[field] = [`Enter a valid ${field}: letters, digits, '.', '-' or '_'.`];
  }
  for (const field of ['arches', 'subarches', 'labels'] as const) {
    const bad = candidate[field].find((value) => !NAME.test(value));
    if (bad !== undefined) problems[field] = [`'${bad}' is not a valid value.`];
  }
  if (Object.keys(problems).length === 0) {
    const clash = await trx
      .selectFrom('boot_source_selections')
      .select('id')
      .where('boot_source_id', '=', source.id)
      .where('os', '=', candidate.os)
      .where('release', '=', candidate.release)
      .executeTakeFirst();
    if (clash !== undefined && clash.id !== existing?.id) {
      problems.__all__ = [
        'Boot source selection with this Boot source, Os and Release already exists.',
      ];
    } else {
      Object.assign(problems, await validator.validate(source, candidate));
    }
  }
  if (Object.keys(problems).length > 0) throw validationError(problems);
  const now = nowIso();
  const values = {
    os: candidate.os,
    release: candidate.release,
    arches: JSON.stringify(candidate.arches),
    subarches: JSON.stringify(candidate.subarches),
    labels: JSON.stringify(candidate.labels),
    updated: now,
  };
  const row =
    existing === null
      ? await trx
          .insertInto('boot_source_selections')
          .values({ ...values, boot_source_id: source.id, created: now })
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .updateTable('boot_source_selections')
          .set(values)
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow();
  return toSelection(row);
}

/** MAAS refuses to delete the selection that provides the commissioning release. */
export async function deleteSelection(
  trx: Kysely<Database>,
  selection: Selection,
  commissioning: { readonly os: string; readonly release: string },
): Promise<void> {
  if (selection.os === commissioning.os && selection.release === commissioning.release) {
    throw badRequest(
      'BOOT_SOURCE_SELECTION_IN_USE',
      `Unable to delete the selection for ${selection.os}/${selection.release}: it is the commissioning release.`,
    );
  }
  await trx.deleteFrom('boot_source_selections').where('id', '=', selection.id).execute();
}
