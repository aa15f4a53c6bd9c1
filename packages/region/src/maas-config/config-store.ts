import type { Kysely } from 'kysely';
import type { KilnConfig } from '@kiln/node-kit';
import type { Database } from '../db/index.js';
import { validationError } from '../domain-errors.js';
import { findConfigDefinition, type ConfigDefinition } from './config-definitions.js';

function definitionOrThrow(name: string): ConfigDefinition {
  const definition = findConfigDefinition(name);
  if (definition === undefined)
    throw validationError({ name: [`"${name}" is not a valid config setting.`] });
  return definition;
}

/** The stored value of a setting, or its default. */
export async function getConfigValue(
  db: Kysely<Database>,
  config: KilnConfig,
  name: string,
): Promise<unknown> {
  const definition = definitionOrThrow(name);
  const row = await db
    .selectFrom('config')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirst();
  if (row === undefined) return definition.defaultValue(config);
  return JSON.parse(row.value) as unknown;
}

/** Parses and stores one setting; 400 naming `name` or `value` when either is unacceptable. */
export async function setConfigValue(
  db: Kysely<Database>,
  name: string,
  text: string,
): Promise<unknown> {
  const definition = definitionOrThrow(name);
  const parsed = definition.parse(text);
  if ('problem' in parsed) throw validationError({ value: [parsed.problem] });
  await writeConfigRow(db, name, parsed.value);
  return parsed.value;
}

/** Internal key/value storage (also used for values that are not MAAS settings, e.g. the rack secret). */
export async function writeConfigRow(
  db: Kysely<Database>,
  name: string,
  value: unknown,
): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('config')
    .values({ name, value: json })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: json }))
    .execute();
}

export async function readConfigRow(db: Kysely<Database>, name: string): Promise<unknown> {
  const row = await db
    .selectFrom('config')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirst();
  return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
}

/** Stores `value` only if `name` has no value yet; returns whichever value is stored afterwards. */
export async function insertConfigRowIfAbsent(
  db: Kysely<Database>,
  name: string,
  value: unknown,
): Promise<unknown> {
  await db
    .insertInto('config')
    .values({ name, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return readConfigRow(db, name);
}
