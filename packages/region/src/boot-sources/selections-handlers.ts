import type { BootSourceSelection } from '@kiln/protocol';
import { API_PREFIX, type HandlerDeclaration } from '../api/index.js';
import type { FieldSpec, ValidatedForm } from '../api/index.js';
import { deleted, json } from '../api/index.js';
import {
  deleteSelection,
  getSelection,
  listSelections,
  saveSelection,
  type Selection,
  type SelectionInput,
} from './selections-repository.js';
import type { SelectionChanges } from './selection-changes.js';
import type { SelectionValidator } from './selection-validator.js';
import { getBootSource } from './boot-sources-repository.js';
import { getConfigValue } from '../maas-config/index.js';

export function selectionJson(selection: Selection): BootSourceSelection {
  return {
    id: selection.id,
    boot_source_id: selection.bootSourceId,
    os: selection.os,
    release: selection.release,
    arches: [...selection.arches],
    subarches: [...selection.subarches],
    labels: [...selection.labels],
    resource_uri: `${API_PREFIX}boot-sources/${selection.bootSourceId}/selections/${selection.id}/`,
  };
}

function selectionFields(required: boolean): FieldSpec[] {
  return [
    {
      name: 'os',
      kind: 'string',
      required,
      doc: 'The OS (e.g. ubuntu, centos) for which to import resources.',
    },
    {
      name: 'release',
      kind: 'string',
      required,
      doc: 'The release for which to import resources.',
    },
    {
      name: 'arches',
      kind: 'list',
      doc: "The architecture list for which to import resources ('*' for all).",
    },
    {
      name: 'subarches',
      kind: 'list',
      doc: "The subarchitecture list for which to import resources ('*' for all).",
    },
    {
      name: 'labels',
      kind: 'list',
      doc: "The label lists for which to import resources ('*' for all).",
    },
  ];
}

function selectionInput(input: ValidatedForm): SelectionInput {
  return {
    os: input.string('os'),
    release: input.string('release'),
    arches: input.list('arches'),
    subarches: input.list('subarches'),
    labels: input.list('labels'),
  };
}

/** What the selection resources are given: the offer check and where changes are announced. */
export interface SelectionHandlerDeps {
  readonly validator: SelectionValidator;
  readonly changes: SelectionChanges;
}

export function bootSourceSelectionsHandler(deps: SelectionHandlerDeps): HandlerDeclaration {
  return {
    name: 'BootSourceSelectionsHandler',
    doc: 'Manage the collection of boot source selections.',
    path: 'boot-sources/{boot_source_id}/selections/',
    access: 'auth',
    admin: true,
    actions: [
      {
        method: 'GET',
        op: null,
        doc: 'List boot source selections\n\nList all available boot source selections.',
        run: async ({ request, region }) => {
          const source = await getBootSource(region.db, Number(request.params.boot_source_id));
          return json((await listSelections(region.db, source.id)).map(selectionJson));
        },
      },
      {
        method: 'POST',
        op: null,
        doc: 'Create a boot-source selection\n\nCreate a new boot source selection.',
        fields: selectionFields(true),
        run: async ({ request, input, region }) => {
          const result = await region.db.transaction().execute(async (trx) => {
            const source = await getBootSource(trx, Number(request.params.boot_source_id));
            const saved = await saveSelection(
              trx,
              source,
              null,
              selectionInput(input),
              deps.validator,
            );
            return json(selectionJson(saved));
          });
          deps.changes.changed();
          return result;
        },
      },
    ],
  };
}

export function bootSourceSelectionHandler(deps: SelectionHandlerDeps): HandlerDeclaration {
  return {
    name: 'BootSourceSelectionHandler',
    doc: 'Manage a boot source selection.',
    path: 'boot-sources/{boot_source_id}/selections/{id}/',
    access: 'auth',
    admin: true,
    actions: [
      {
        method: 'GET',
        op: null,
        doc: 'Read a boot source selection\n\nRead a boot source selection with the given id.',
        run: async ({ request, region }) => {
          const source = await getBootSource(region.db, Number(request.params.boot_source_id));
          return json(
            selectionJson(await getSelection(region.db, source.id, Number(request.params.id))),
          );
        },
      },
      {
        method: 'PUT',
        op: null,
        doc: 'Update a boot-source selection\n\nUpdate a boot source selection with the given id.',
        fields: selectionFields(false),
        run: async ({ request, input, region }) => {
          const result = await region.db.transaction().execute(async (trx) => {
            const source = await getBootSource(trx, Number(request.params.boot_source_id));
            const existing = await getSelection(trx, source.id, Number(request.params.id));
            const saved = await saveSelection(
              trx,
              source,
              existing,
              selectionInput(input),
              deps.validator,
            );
            return json(selectionJson(saved));
          });
          deps.changes.changed();
          return result;
        },
      },
      {
        method: 'DELETE',
        op: null,
        doc: 'Delete a boot source selection\n\nDelete a boot source selection with the given id.',
        run: async ({ request, region }) => {
          const result = await region.db.transaction().execute(async (trx) => {
            const source = await getBootSource(trx, Number(request.params.boot_source_id));
            const selection = await getSelection(trx, source.id, Number(request.params.id));
            const os = String(await getConfigValue(trx, region.config, 'commissioning_osystem'));
            const release = String(
              await getConfigValue(trx, region.config, 'commissioning_distro_series'),
            );
            await deleteSelection(trx, selection, { os, release });
            return deleted();
          });
          deps.changes.changed();
          return result;
        },
      },
    ],
  };
}
