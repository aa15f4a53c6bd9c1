import type { BootSource } from '@kiln/protocol';
import { API_PREFIX, type HandlerDeclaration } from '../api/index.js';
import type { FieldSpec } from '../api/index.js';
import { deleted, json } from '../api/index.js';
import { maasDateTime } from '../db/index.js';
import {
  deleteBootSource,
  getBootSource,
  listBootSources,
  saveBootSource,
  type BootSourceRow,
} from './boot-sources-repository.js';
import { recordEvent } from '../events/index.js';

export function bootSourceJson(row: BootSourceRow): BootSource {
  return {
    id: row.id,
    url: row.url,
    keyring_filename: row.keyring_filename,
    keyring_data: Buffer.from(row.keyring_data).toString('base64'),
    created: maasDateTime(row.created),
    updated: maasDateTime(row.updated),
    resource_uri: `${API_PREFIX}boot-sources/${row.id}/`,
  };
}

function sourceFields(required: boolean): FieldSpec[] {
  return [
    { name: 'url', kind: 'string', required, doc: 'The URL of the BootSource.' },
    {
      name: 'keyring_filename',
      kind: 'string',
      doc: 'The path to the keyring file for this BootSource.',
    },
    {
      name: 'keyring_data',
      kind: 'file',
      doc: 'The GPG keyring for this BootSource, as a file upload (or base64-encoded in a form field).',
    },
  ];
}

export const bootSourcesHandler: HandlerDeclaration = {
  name: 'BootSourcesHandler',
  doc: 'Manage the collection of boot sources.',
  path: 'boot-sources/',
  access: 'auth',
  admin: true,
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List boot sources\n\nList all boot sources.',
      run: async ({ region }) => json((await listBootSources(region.db)).map(bootSourceJson)),
    },
    {
      method: 'POST',
      op: null,
      doc: 'Create a boot source\n\nCreate a new boot source. Exactly one of keyring_filename and keyring_data must be given.',
      fields: sourceFields(true),
      run: async ({ input, request, region }) =>
        region.db.transaction().execute(async (trx) => {
          const source = await saveBootSource(trx, null, {
            url: input.string('url'),
            keyringFilename: input.string('keyring_filename'),
            keyringData: input.file('keyring_data'),
          });
          await recordEvent(trx, {
            type: 'Boot source created',
            description: `Created boot source ${source.url}`,
            username: request.user?.username ?? null,
            level: 'AUDIT',
          });
          return json(bootSourceJson(source), 201);
        }),
    },
  ],
};

export const bootSourceHandler: HandlerDeclaration = {
  name: 'BootSourceHandler',
  doc: 'Manage a boot source.',
  path: 'boot-sources/{id}/',
  access: 'auth',
  admin: true,
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Read a boot source\n\nRead a boot source with the given id.',
      run: async ({ request, region }) =>
        json(bootSourceJson(await getBootSource(region.db, Number(request.params.id)))),
    },
    {
      method: 'PUT',
      op: null,
      doc: 'Update a boot source\n\nUpdate a boot source with the given id.',
      fields: sourceFields(false),
      run: async ({ request, input, region }) =>
        region.db.transaction().execute(async (trx) => {
          const existing = await getBootSource(trx, Number(request.params.id));
          const source = await saveBootSource(trx, existing, {
            url: input.string('url'),
            keyringFilename: input.string('keyring_filename'),
            keyringData: input.file('keyring_data'),
          });
          await recordEvent(trx, {
            type: 'Boot source updated',
            description: `Updated boot source ${source.url}`,
            username: request.user?.username ?? null,
            level: 'AUDIT',
          });
          return json(bootSourceJson(source));
        }),
    },
    {
      method: 'DELETE',
      op: null,
      doc: 'Delete a boot source\n\nDelete a boot source with the given id, and its selections.',
      run: async ({ request, region }) =>
        region.db.transaction().execute(async (trx) => {
          const id = Number(request.params.id);
          const existing = await getBootSource(trx, id);
          await deleteBootSource(trx, id);
          await recordEvent(trx, {
            type: 'Boot source deleted',
            description: `Deleted boot source ${existing.url}`,
            username: request.user?.username ?? null,
            level: 'AUDIT',
          });
          return deleted();
        }),
    },
  ],
};
