import type { HandlerDeclaration } from '../../api/index.js';
import type { FieldSpec } from '../../api/index.js';
import { badRequest, deleted, json, notFound, text } from '../../api/index.js';
import { isRowId } from '../../domain-errors.js';
import { recordEvent } from '../../events/index.js';
import { getConfigValue } from '../../maas-config/index.js';
import { removeUnreferenced } from '../importer/finalize.js';
import { RESOURCE_TYPE, type BootResourceRow } from '../store/tables.js';
import { createCustomImage } from '../uploads/create-custom.js';
import { uploadChunk } from '../uploads/upload-chunk.js';
import { resourceDetail, resourceSummary } from './resource-json.js';
import type { ImageContext } from '../image-context.js';

async function getResource(
  region: ImageContext,
  raw: string | undefined,
): Promise<BootResourceRow> {
  const id = Number(raw);
  const row = isRowId(id)
    ? await region.db
        .selectFrom('boot_resources')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (row === undefined) throw notFound('IMAGE_RESOURCE_NOT_FOUND', 'BootResource');
  return row;
}

async function detail(
  region: ImageContext,
  row: BootResourceRow,
): Promise<Record<string, unknown>> {
  const service = region.images;
  return resourceDetail(region.db, region.regionId, row, service.progress, (sha) =>
    service.store.partialSize(sha),
  );
}

const createFields: FieldSpec[] = [
  {
    name: 'name',
    kind: 'string',
    required: true,
    doc: 'Name of the boot resource (custom/<name>, <name> or <os>/<release>).',
  },
  {
    name: 'architecture',
    kind: 'string',
    required: true,
    doc: 'Architecture the boot resource supports, e.g. amd64/generic.',
  },
  { name: 'title', kind: 'string', doc: 'Title for the boot resource.' },
  {
    name: 'filetype',
    kind: 'string',
    doc: 'Filetype of the uploaded content (tgz, tbz, txz, ddtgz, ddtbz, ddtxz, ddtar, ddbz2, ddgz, ddxz, ddraw). Default tgz.',
  },
  {
    name: 'base_image',
    kind: 'string',
    doc: 'The base image of a custom image, <os>/<series>; defaults to the commissioning release.',
  },
  {
    name: 'keep_old',
    kind: 'bool',
    doc: 'Keep the older sets of this resource (default: delete them once the new one is complete).',
  },
  {
    name: 'content',
    kind: 'file',
    doc: 'Image content. Or give sha256 and size and upload in chunks to the returned upload_uri.',
  },
  { name: 'sha256', kind: 'string', doc: 'The sha256 of the content, when uploading in chunks.' },
  { name: 'size', kind: 'int', doc: 'The size of the content in bytes, when uploading in chunks.' },
];

export const bootResourcesHandler: HandlerDeclaration<ImageContext> = {
  name: 'BootResourcesHandler',
  doc: 'Manage the boot resources.',
  path: 'boot-resources/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List boot resources\n\nList all boot resources.',
      fields: [
        {
          name: 'type',
          kind: 'string',
          doc: 'Type of boot resources to list: synced, uploaded or all (default all).',
        },
      ],
      run: async ({ input, region }) => {
        const type = input.string('type') ?? 'all';
        if (!['synced', 'uploaded', 'all'].includes(type))
          throw badRequest(
            'IMAGE_TYPE_INVALID',
            `'${type}' is not a valid boot resource type. Available types: ['synced', 'uploaded']`,
          );
        let query = region.db.selectFrom('boot_resources').selectAll();
        if (type !== 'all')
          query = query.where(
            'type',
            '=',
            type === 'synced' ? RESOURCE_TYPE.synced : RESOURCE_TYPE.uploaded,
          );
        const rows = await query.orderBy('type').orderBy('name').orderBy('architecture').execute();
        return json(rows.map(resourceSummary));
      },
    },
    {
      method: 'POST',
      op: null,
      admin: true,
      doc: 'Upload a new boot resource\n\nUploads a new boot resource: the whole content, or sha256 and size followed by chunked PUTs to the upload_uri.',
      fields: createFields,
      run: async ({ input, region, request }) => {
        const service = region.images;
        const base =
          input.string('base_image') ??
          `${String(await getConfigValue(region.db, region.config, 'commissioning_osystem'))}/${String(await getConfigValue(region.db, region.config, 'commissioning_distro_series'))}`;
        const row = await createCustomImage(
          region.db,
          service.store,
          service.uploads,
          region.regionId,
          {
            name: input.string('name') ?? '',
            architecture: input.string('architecture') ?? '',
            title: input.string('title'),
            filetype: input.string('filetype'),
            baseImage: base,
            keepOld: input.bool('keep_old') ?? false,
            content: input.file('content'),
            sha256: input.string('sha256'),
            size: input.int('size'),
          },
        );
        await recordEvent(region.db, {
          type: 'Boot resource uploaded',
          level: 'AUDIT',
          description: `Created boot resource ${row.name} (${row.architecture})`,
          username: request.user?.username ?? null,
        });
        return json(await detail(region, row), 201);
      },
    },
    {
      method: 'POST',
      op: 'import',
      admin: true,
      doc: 'Import boot resources\n\nImport the boot resources.',
      run: async ({ region }) => {
        await region.images.startImport('requested through the API');
        return text('Import of boot resources started');
      },
    },
    {
      method: 'POST',
      op: 'stop_import',
      admin: true,
      doc: 'Stop import boot resources\n\nStop import the boot resources.',
      run: async ({ region }) => {
        await region.images.stopImport();
        return text('Import of boot resources is being stopped');
      },
    },
    {
      method: 'GET',
      op: 'is_importing',
      doc: 'Importing status\n\nGet the status of importing resources.',
      run: async ({ region }) => json(await region.images.isImporting()),
    },
  ],
};

export const bootResourceHandler: HandlerDeclaration<ImageContext> = {
  name: 'BootResourceHandler',
  doc: 'Manage a boot resource.',
  path: 'boot-resources/{id}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Read a boot resource\n\nReads a boot resource by id.',
      run: async ({ request, region }) =>
        json(await detail(region, await getResource(region, request.params.id))),
    },
    {
      method: 'DELETE',
      op: null,
      admin: true,
      doc: 'Delete a boot resource\n\nDelete a boot resource by id.',
      run: async ({ request, region }) => {
        const row = await getResource(region, request.params.id);
        await region.db.deleteFrom('boot_resources').where('id', '=', row.id).execute();
        await removeUnreferenced(region.db, region.images.store);
        await recordEvent(region.db, {
          type: 'Boot resource deleted',
          level: 'AUDIT',
          description: `Deleted boot resource ${row.name} (${row.architecture})`,
          username: request.user?.username ?? null,
        });
        return deleted();
      },
    },
  ],
};

export const bootResourceUploadHandler: HandlerDeclaration<ImageContext> = {
  name: 'BootResourceFileUploadHandler',
  doc: 'Upload a boot resource file.',
  path: 'boot-resources/{id}/upload/{file_id}/',
  access: 'auth',
  admin: true,
  hidden: true,
  actions: [
    {
      method: 'PUT',
      op: null,
      doc: 'Upload a chunk of a boot resource file.',
      run: async ({ request, region }) => {
        const service = region.images;
        await uploadChunk(
          region.db,
          service.store,
          service.uploads,
          region.regionId,
          { resourceId: Number(request.params.id), fileId: Number(request.params.file_id) },
          request.rawBody,
        );
        return text('OK');
      },
    },
  ],
};
