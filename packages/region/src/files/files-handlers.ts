import { randomBytes } from 'node:crypto';
import { AppError } from '@kiln/node-kit';
import type { Kysely } from 'kysely';
import { API_PREFIX, deleted, json, notFound, validationError } from '../api/index.js';
import type { ApiRequest, HandlerDeclaration } from '../api/index.js';
import { nowIso, type Database } from '../db/index.js';
import type { FileRow } from './tables.js';

type Db = Kysely<Database>;

/** Each user has their own file namespace, as in MAAS. */
function ownerOf(request: ApiRequest): string {
  if (request.user === null) throw new AppError('AUTH_REQUIRED', 'Forbidden');
  return request.user.username;
}

function fileJson(row: FileRow, withContent: boolean) {
  return {
    filename: row.filename,
    owner: row.owner,
    anon_resource_uri: `${API_PREFIX}files/?op=get_by_key&key=${row.anon_key}`,
    resource_uri: `${API_PREFIX}files/${encodeURIComponent(row.filename)}/`,
    ...(withContent ? { content: row.content.toString('base64') } : {}),
  };
}

async function fileOf(db: Db, owner: string, filename: string): Promise<FileRow> {
  const row = await db
    .selectFrom('files')
    .selectAll()
    .where('owner', '=', owner)
    .where('filename', '=', filename)
    .executeTakeFirst();
  if (row === undefined) throw notFound('FILE_NOT_FOUND', 'FileStorage');
  return row;
}

const raw = (row: FileRow) =>
  ({ status: 200, bytes: row.content, contentType: 'application/octet-stream' }) as const;

export const filesHandler: HandlerDeclaration = {
  name: 'FilesHandler',
  doc: 'Manage the collection of all the files in this MAAS.',
  path: 'files/',
  access: 'anon',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: "List files\n\nThe caller's files, without their content.",
      fields: [{ name: 'prefix', kind: 'string', doc: 'Only files whose name starts with this.' }],
      run: async ({ region, request, input }) => {
        const prefix = input.string('prefix') ?? '';
        const rows = await region.db
          .selectFrom('files')
          .selectAll()
          .where('owner', '=', ownerOf(request))
          .orderBy('filename')
          .execute();
        return json(
          rows.filter((r) => r.filename.startsWith(prefix)).map((r) => fileJson(r, false)),
        );
      },
    },
    {
      method: 'POST',
      op: 'add',
      doc: 'Add a new file\n\nA file of the same name is replaced.',
      fields: [
        { name: 'filename', kind: 'string', required: true, doc: 'The name of the file.' },
        { name: 'file', kind: 'file', required: true, doc: 'The content, as a file part.' },
      ],
      run: async (ctx) =>
        addFile(ctx.region.db, ctx.request, ctx.input.string('filename'), ctx.input.file('file')),
    },
    {
      // gomaasapi's AddFile posts to files/ with an empty op, which MAAS treats as no op.
      method: 'POST',
      op: null,
      doc: 'Add a new file\n\nThe same as op=add.',
      fields: [
        { name: 'filename', kind: 'string', required: true, doc: 'The name of the file.' },
        { name: 'file', kind: 'file', required: true, doc: 'The content, as a file part.' },
      ],
      run: async (ctx) =>
        addFile(ctx.region.db, ctx.request, ctx.input.string('filename'), ctx.input.file('file')),
    },
    {
      method: 'GET',
      op: 'get',
      doc: 'Get a named file\n\nThe raw content.',
      fields: [{ name: 'filename', kind: 'string', required: true, doc: 'The name of the file.' }],
      run: async ({ region, request, input }) =>
        raw(await fileOf(region.db, ownerOf(request), input.string('filename') ?? '')),
    },
    {
      method: 'GET',
      op: 'get_by_key',
      doc: 'Get a file by key\n\nThe raw content; the key (from anon_resource_uri) is the only credential.',
      fields: [{ name: 'key', kind: 'string', required: true, doc: 'The key of the file.' }],
      run: async ({ region, input }) => {
        const row = await region.db
          .selectFrom('files')
          .selectAll()
          .where('anon_key', '=', input.string('key') ?? '')
          .executeTakeFirst();
        if (row === undefined) throw notFound('FILE_NOT_FOUND', 'FileStorage');
        return raw(row);
      },
    },
  ],
};

async function addFile(
  db: Db,
  request: ApiRequest,
  filename: string | undefined,
  content: Buffer | undefined,
) {
  const owner = ownerOf(request);
  if (filename === undefined || filename === '' || filename.includes('/') || filename.length > 255)
    throw validationError({
      filename: ['A file name of 1 to 255 characters without "/" is required.'],
    });
  if (content === undefined) throw validationError({ file: ['This field is required.'] });
  await db.transaction().execute(async (tx) => {
    await tx
      .deleteFrom('files')
      .where('owner', '=', owner)
      .where('filename', '=', filename)
      .execute();
    await tx
      .insertInto('files')
      .values({
        filename,
        owner,
        content,
        anon_key: randomBytes(16).toString('hex'),
        created: nowIso(),
      })
      .execute();
  });
  return json(fileJson(await fileOf(db, owner, filename), false), 201);
}

export const fileHandler: HandlerDeclaration = {
  name: 'FileHandler',
  doc: 'Manage a FileStorage object.',
  path: 'files/{filename}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Read a stored file\n\nIts metadata and its content, base64-encoded.',
      run: async ({ region, request }) =>
        json(
          fileJson(
            await fileOf(region.db, ownerOf(request), request.params['filename'] ?? ''),
            true,
          ),
        ),
    },
    {
      method: 'DELETE',
      op: null,
      doc: 'Delete a file',
      run: async ({ region, request }) => {
        const row = await fileOf(region.db, ownerOf(request), request.params['filename'] ?? '');
        await region.db.deleteFrom('files').where('id', '=', row.id).execute();
        return deleted();
      },
    },
  ],
};
