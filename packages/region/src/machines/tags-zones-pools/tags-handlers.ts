import type { HandlerDeclaration } from '../../api/index.js';
import { API_PREFIX } from '../../api/index.js';
import { deleted, json } from '../../api/index.js';
import { nowIso } from '../../db/index.js';
import { notFound, validationError } from '../../domain-errors.js';
import { machineJson } from '../repository/machine-json.js';
import { loadMachineViews } from '../repository/machine-view.js';
import { listMachines } from '../repository/machines-repository.js';
import type { TagRow } from '../repository/tables.js';
import type { MachineContext } from '../machine-context.js';

const TAG_NAME = /^[\w-]{1,256}$/;

const tagJson = (t: TagRow) => ({
  name: t.name,
  definition: t.definition,
  comment: t.comment,
  kernel_opts: t.kernel_opts,
  resource_uri: `${API_PREFIX}tags/${t.name}/`,
});

type Db = Parameters<HandlerDeclaration['actions'][number]['run']>[0]['region']['db'];

async function getTag(db: Db, name: string): Promise<TagRow> {
  const tag = await db.selectFrom('tags').selectAll().where('name', '=', name).executeTakeFirst();
  if (tag === undefined) throw notFound('MACHINE_TAG_NOT_FOUND', 'Tag');
  return tag;
}

export const tagsHandler: HandlerDeclaration<MachineContext> = {
  name: 'TagsHandler',
  doc: 'Manage all tags known to MAAS.',
  path: 'tags/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List tags',
      run: async ({ region }) =>
        json(
          (await region.db.selectFrom('tags').selectAll().orderBy('name').execute()).map(tagJson),
        ),
    },
    {
      method: 'POST',
      op: null,
      admin: true,
      doc: 'Create a new tag\n\nManual tags only: definitions (XPath over lshw) are stored but not evaluated.',
      fields: [
        { name: 'name', kind: 'string', required: true, doc: 'The new tag name.' },
        {
          name: 'comment',
          kind: 'string',
          doc: 'A description of what the the tag will be used for.',
        },
        {
          name: 'definition',
          kind: 'string',
          doc: 'Stored only; Kiln does not evaluate XPath definitions.',
        },
        {
          name: 'kernel_opts',
          kind: 'string',
          doc: 'Nodes associated with this tag will add this string to their kernel options.',
        },
      ],
      run: async ({ input, region }) => {
        const name = input.string('name') ?? '';
        if (!TAG_NAME.test(name))
          throw validationError({ name: [`Invalid character in the tag name: '${name}'.`] });
        const taken = await region.db
          .selectFrom('tags')
          .select('id')
          .where('name', '=', name)
          .executeTakeFirst();
        if (taken !== undefined)
          throw validationError({ name: ['Tag with this Name already exists.'] });
        const now = nowIso();
        const tag = await region.db
          .insertInto('tags')
          .values({
            name,
            comment: input.string('comment') ?? '',
            definition: input.string('definition') ?? '',
            kernel_opts: input.string('kernel_opts') ?? '',
            created: now,
            updated: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return json(tagJson(tag));
      },
    },
  ],
};

export const tagHandler: HandlerDeclaration<MachineContext> = {
  name: 'TagHandler',
  doc: 'Manage a Tag.',
  path: 'tags/{name}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Read a specific Tag',
      run: async ({ request, region }) =>
        json(tagJson(await getTag(region.db, request.params.name ?? ''))),
    },
    {
      method: 'DELETE',
      op: null,
      admin: true,
      doc: 'Delete a specific Tag',
      run: async ({ request, region }) => {
        const tag = await getTag(region.db, request.params.name ?? '');
        await region.db.deleteFrom('tags').where('id', '=', tag.id).execute();
        return deleted();
      },
    },
    {
      method: 'GET',
      op: 'machines',
      doc: 'List machines by tag',
      run: async ({ request, region }) => {
        const tag = await getTag(region.db, request.params.name ?? '');
        const rows = await listMachines(region.db, { tags: [tag.name] });
        return json((await loadMachineViews(region.db, rows)).map(machineJson));
      },
    },
    {
      method: 'POST',
      op: 'update_nodes',
      admin: true,
      doc: 'Update nodes associated with this tag\n\nAdd or remove nodes (by system_id) from this tag.',
      fields: [
        { name: 'add', kind: 'list', doc: 'system_ids of nodes to add to this tag.' },
        { name: 'remove', kind: 'list', doc: 'system_ids of nodes to remove from this tag.' },
      ],
      run: async ({ request, input, region }) => {
        const tag = await getTag(region.db, request.params.name ?? '');
        const add = input.list('add') ?? [];
        const remove = input.list('remove') ?? [];
        const ids = async (systemIds: string[]) =>
          systemIds.length === 0
            ? []
            : await region.db
                .selectFrom('machines')
                .select(['id', 'system_id'])
                .where('system_id', 'in', systemIds)
                .execute();
        const toAdd = await ids(add);
        const toRemove = await ids(remove);
        const unknown = [...add, ...remove].filter(
          (s) => ![...toAdd, ...toRemove].some((m) => m.system_id === s),
        );
        if (unknown.length > 0)
          throw validationError({ add: [`Unknown node(s): ${unknown.join(', ')}.`] });
        let added = 0;
        let removed = 0;
        await region.db.transaction().execute(async (trx) => {
          for (const m of toAdd) {
            const result = await trx
              .insertInto('machine_tags')
              .values({ machine_id: m.id, tag_id: tag.id })
              .onConflict((oc) => oc.columns(['machine_id', 'tag_id']).doNothing())
              .executeTakeFirst();
            added += Number(result.numInsertedOrUpdatedRows ?? 0);
          }
          for (const m of toRemove) {
            const result = await trx
              .deleteFrom('machine_tags')
              .where('machine_id', '=', m.id)
              .where('tag_id', '=', tag.id)
              .executeTakeFirst();
            removed += Number(result.numDeletedRows);
          }
        });
        return json({ added, removed });
      },
    },
  ],
};

export const TAG_HANDLERS: readonly HandlerDeclaration<MachineContext>[] = [
  tagsHandler,
  tagHandler,
];
