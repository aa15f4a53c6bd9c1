import { access } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import {
  acceptAllSelections,
  listBootSources,
  listSelections,
  saveBootSource,
  saveSelection,
  type BootSourceRow,
} from '../boot-sources/index.js';
import { nowIso, type Database } from '../db/index.js';
import { recordEvent } from '../events/index.js';
import { findConfigDefinition, writeConfigRow } from '../maas-config/index.js';
import type { MaasInventory, MaasResource, MaasSet, MaasSource } from './maas-database.js';

export interface ChosenResource {
  readonly resource: MaasResource;
  readonly type: 0 | 2;
  readonly set: MaasSet;
}

export interface ApplyReport {
  readonly sourcesCreated: number;
  readonly sourcesUpdated: number;
  readonly selections: number;
  readonly settings: readonly string[];
  readonly resourcesCreated: number;
  readonly setsCreated: number;
  readonly setsPresent: number;
  readonly conflicts: readonly string[];
  readonly keyringNotes: readonly string[];
}

const MAAS_KEYRING_HOSTS = new Set(['images.maas.io']);

async function readable(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * The source's keyring as Kiln will hold it. MAAS keeps either the bytes (kept as they are) or a
 * path on the MAAS host; for images.maas.io that path is Ubuntu's cloud-image keyring, which Kiln
 * has its own copy of, so Kiln's keyring is used and the operator is told.
 */
async function keyringFor(
  source: MaasSource,
  kilnKeyring: string,
  notes: string[],
): Promise<{ keyringData?: Buffer; keyringFilename?: string }> {
  if (source.keyringData.length > 0) return { keyringData: source.keyringData };
  const host = new URL(source.url).hostname;
  if (MAAS_KEYRING_HOSTS.has(host)) {
    notes.push(
      `${source.url}: MAAS names the keyring file ${source.keyringFilename} on the MAAS host; Kiln uses its own keyring ${kilnKeyring} for images.maas.io`,
    );
    return { keyringFilename: kilnKeyring };
  }
  if (!(await readable(source.keyringFilename)))
    notes.push(
      `${source.url}: the keyring ${source.keyringFilename} exists only on the MAAS host; copy it to the same path on this host (or set keyring_data) before the next import`,
    );
  return { keyringFilename: source.keyringFilename };
}

/** MAAS's `extra` plus what Kiln's importer keeps there (kflavor), so the API reads alike. */
function extraFor(chosen: ChosenResource): string {
  const r = chosen.resource;
  const extra: Record<string, unknown> = { ...r.extra };
  if (chosen.type === 0 && r.kflavor !== null && extra.kflavor === undefined)
    extra.kflavor = r.kflavor;
  if (chosen.type === 2) {
    extra.title ??= '';
    extra.subarches ??= r.architecture.split('/')[1] ?? 'generic';
  }
  return JSON.stringify(extra);
}

/**
 * Writes everything into Kiln in one transaction, after every chosen file is in the store: a
 * failure here leaves Kiln as it was. Resources that already exist (same name and
 * architecture, same type) get the MAAS set added when Kiln lacks that version.
 */
export async function applyToKiln(
  db: Kysely<Database>,
  regionId: string,
  inventory: MaasInventory,
  chosen: readonly ChosenResource[],
  kilnKeyring: string,
): Promise<ApplyReport> {
  const keyringNotes: string[] = [];
  const keyrings = new Map<number, Awaited<ReturnType<typeof keyringFor>>>();
  for (const source of inventory.sources)
    keyrings.set(source.id, await keyringFor(source, kilnKeyring, keyringNotes));
  return db.transaction().execute(async (trx) => {
    let sourcesCreated = 0;
    let sourcesUpdated = 0;
    let selections = 0;
    const sourceMap = new Map<number, BootSourceRow>();
    const existing = await listBootSources(trx);
    for (const source of inventory.sources) {
      const keyring = keyrings.get(source.id) ?? {};
      const url = new URL(source.url).toString();
      const same = existing.find((s) => new URL(s.url).toString() === url);
      if (same === undefined) {
        sourceMap.set(source.id, await saveBootSource(trx, null, { url: source.url, ...keyring }));
        sourcesCreated += 1;
      } else if (keyring.keyringData !== undefined) {
        // saveBootSource refuses both kinds at once: MAAS's bytes replace Kiln's file name.
        await trx
          .updateTable('boot_sources')
          .set({ keyring_data: keyring.keyringData, keyring_filename: '', updated: nowIso() })
          .where('id', '=', same.id)
          .execute();
        sourceMap.set(source.id, same);
        sourcesUpdated += 1;
      } else sourceMap.set(source.id, same);
    }
    for (const selection of inventory.selections) {
      const source = sourceMap.get(selection.sourceId);
      if (source === undefined) continue;
      const current = (await listSelections(trx, source.id)).find(
        (s) => s.os === selection.os && s.release === selection.release,
      );
      await saveSelection(
        trx,
        source,
        current ?? null,
        {
          os: selection.os,
          release: selection.release,
          arches: [...selection.arches],
          subarches: [...selection.subarches],
          labels: [...selection.labels],
        },
        acceptAllSelections,
      );
      selections += 1;
    }
    const settings: string[] = [];
    for (const [name, value] of Object.entries(inventory.settings)) {
      const definition = findConfigDefinition(name);
      if (definition === undefined) continue;
      const text =
        typeof value === 'boolean'
          ? value
            ? 'true'
            : 'false'
          : typeof value === 'string' || typeof value === 'number'
            ? String(value)
            : null;
      if (text === null) continue;
      const parsed = definition.parse(text);
      if ('problem' in parsed) continue;
      await writeConfigRow(trx, name, parsed.value);
      settings.push(name);
    }
    const now = nowIso();
    let resourcesCreated = 0;
    let setsCreated = 0;
    let setsPresent = 0;
    const conflicts: string[] = [];
    for (const c of chosen) {
      const r = c.resource;
      let row = await trx
        .selectFrom('boot_resources')
        .select(['id', 'type'])
        .where('name', '=', r.name)
        .where('architecture', '=', r.architecture)
        .executeTakeFirst();
      if (row !== undefined && row.type !== c.type) {
        conflicts.push(
          `${r.name} ${r.architecture}: Kiln already has it as ${row.type === 0 ? 'synced' : 'uploaded'}; MAAS's copy was not taken`,
        );
        continue;
      }
      if (row === undefined) {
        row = await trx
          .insertInto('boot_resources')
          .values({
            type: c.type,
            name: r.name,
            architecture: r.architecture,
            base_image: c.type === 2 ? r.baseImage : '',
            bootloader_type: r.bootloaderType,
            extra: extraFor(c),
            created: now,
            updated: now,
          })
          .returning(['id', 'type'])
          .executeTakeFirstOrThrow();
        resourcesCreated += 1;
      }
      const present = await trx
        .selectFrom('boot_resource_sets')
        .select('id')
        .where('resource_id', '=', row.id)
        .where('version', '=', c.set.version)
        .executeTakeFirst();
      if (present !== undefined) {
        setsPresent += 1;
        continue;
      }
      const set = await trx
        .insertInto('boot_resource_sets')
        .values({ resource_id: row.id, version: c.set.version, label: c.set.label, created: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      setsCreated += 1;
      for (const f of c.set.files) {
        const file = await trx
          .insertInto('boot_resource_files')
          .values({
            set_id: set.id,
            filename: f.filename,
            filetype: f.filetype,
            sha256: f.sha256,
            size: f.size,
            source_id: null,
            source_path: null,
            extra: JSON.stringify(f.extra),
            created: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('boot_resource_file_syncs')
          .values({ file_id: file.id, region_id: regionId, size: f.size })
          .execute();
      }
    }
    await recordEvent(trx, {
      type: 'Migrated from MAAS',
      description: `${resourcesCreated} resources and ${setsCreated} sets created (${setsPresent} already present), ${sourcesCreated} boot sources, ${selections} selections, settings: ${settings.join(', ') || 'none'}`,
    });
    return {
      sourcesCreated,
      sourcesUpdated,
      selections,
      settings,
      resourcesCreated,
      setsCreated,
      setsPresent,
      conflicts,
      keyringNotes,
    };
  });
}
