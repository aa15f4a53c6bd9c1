import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { nowIso, type Database } from '../../db/index.js';
import { validationError } from '../../domain-errors.js';
import { setSyncedSize } from '../store/file-syncs.js';
import type { ImageStore } from '../store/image-store.js';
import { isSha256 } from '../store/image-store.js';
import { RESOURCE_TYPE, type BootResourceRow } from '../store/tables.js';
import type { UploadWriter } from '../store/upload-writer.js';
import {
  nextSetVersion,
  parseUploadName,
  UPLOAD_FILETYPES,
  USABLE_ARCHES,
} from './upload-rules.js';
import { completeUpload } from './complete-upload.js';

export interface CustomImageInput {
  readonly name: string;
  readonly architecture: string;
  readonly title?: string | undefined;
  readonly filetype?: string | undefined;
  readonly baseImage: string;
  readonly keepOld: boolean;
  readonly content?: Buffer | undefined;
  readonly sha256?: string | undefined;
  readonly size?: number | undefined;
}

function check(input: CustomImageInput): {
  name: string;
  filetype: string;
  sha256: string;
  size: number;
} {
  const errors: Record<string, string[]> = {};
  const parsed = parseUploadName(input.name);
  if (typeof parsed === 'string') errors.name = [parsed];
  const [arch, subarch] = input.architecture.split('/');
  if (
    !USABLE_ARCHES.includes(arch ?? '') ||
    subarch === undefined ||
    subarch === '' ||
    input.architecture.split('/').length !== 2
  )
    errors.architecture = [
      `Select a valid choice. ${input.architecture} is not one of the available choices.`,
    ];
  const filetype = input.filetype ?? 'tgz';
  if (UPLOAD_FILETYPES[filetype] === undefined)
    errors.filetype = [`Select a valid choice. ${filetype} is not one of the available choices.`];
  if (!/^[a-z0-9-]+\/[A-Za-z0-9._-]+$/.test(input.baseImage))
    errors.base_image = [`'${input.baseImage}' is not a valid base image; use <os>/<series>.`];
  let sha256 = input.sha256?.toLowerCase() ?? '';
  let size = input.size ?? -1;
  if (input.content !== undefined) {
    if (input.content.length === 0) errors.content = ['The submitted file is empty.'];
    sha256 = createHash('sha256').update(input.content).digest('hex');
    size = input.content.length;
  } else {
    if (input.sha256 === undefined) errors.sha256 = ['This field is required.'];
    else if (!isSha256(sha256))
      errors.sha256 = ['Enter a valid sha256 (64 hexadecimal characters).'];
    if (input.size === undefined) errors.size = ['This field is required.'];
    else if (size < 1) errors.size = ['Ensure this value is greater than or equal to 1.'];
  }
  if (Object.keys(errors).length > 0 || typeof parsed === 'string') throw validationError(errors);
  return { name: parsed.name, filetype: UPLOAD_FILETYPES[filetype] ?? 'root-tgz', sha256, size };
}

/**
 * `POST boot-resources/`: creates (or reuses) the uploaded resource and adds a set with one
 * file. The same sha256 and size as the newest incomplete upload reuses that file, so a client
 * re-running `create` resumes; content already stored completes at once; `content` in the request
 * is written and verified here.
 */
export async function createCustomImage(
  db: Kysely<Database>,
  store: ImageStore,
  writer: UploadWriter,
  regionId: string,
  input: CustomImageInput,
): Promise<BootResourceRow> {
  const { name, filetype, sha256, size } = check(input);
  const now = nowIso();
  const { resource, fileId } = await db.transaction().execute(async (trx) => {
    const other = await trx
      .selectFrom('boot_resource_files')
      .select('size')
      .where('sha256', '=', sha256)
      .where('size', '!=', size)
      .executeTakeFirst();
    if (other !== undefined)
      throw validationError({
        sha256: [`A file with sha256 ${sha256} is already known with size ${other.size}.`],
      });
    let resource = await trx
      .selectFrom('boot_resources')
      .selectAll()
      .where('name', '=', name)
      .where('architecture', '=', input.architecture)
      .executeTakeFirst();
    if (resource !== undefined && resource.type !== RESOURCE_TYPE.uploaded)
      throw validationError({ name: [`'${name}' is a reserved name.`] });
    const synced = await trx
      .selectFrom('boot_resources')
      .select('id')
      .where('name', '=', name)
      .where('type', '=', RESOURCE_TYPE.synced)
      .executeTakeFirst();
    if (synced !== undefined) throw validationError({ name: [`'${name}' is a reserved name.`] });
    const extra = JSON.stringify({
      title: input.title ?? '',
      subarches: input.architecture.split('/')[1] ?? 'generic',
    });
    if (resource === undefined) {
      resource = await trx
        .insertInto('boot_resources')
        .values({
          type: RESOURCE_TYPE.uploaded,
          name,
          architecture: input.architecture,
          base_image: input.baseImage,
          extra,
          bootloader_type: null,
          created: now,
          updated: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } else {
      await trx
        .updateTable('boot_resources')
        .set({ base_image: input.baseImage, extra, updated: now })
        .where('id', '=', resource.id)
        .execute();
    }
    const sets = await trx
      .selectFrom('boot_resource_sets')
      .select(['id', 'version'])
      .where('resource_id', '=', resource.id)
      .execute();
    sets.sort((a, b) => (a.version < b.version ? 1 : -1));
    const newest = sets[0];
    if (newest !== undefined) {
      const files = await trx
        .selectFrom('boot_resource_files')
        .select(['id', 'sha256', 'size'])
        .where('set_id', '=', newest.id)
        .execute();
      const same =
        files.length === 1 && files[0]?.sha256 === sha256 && files[0].size === size
          ? files[0]
          : undefined;
      if (same !== undefined) return { resource, fileId: same.id };
    }
    const set = await trx
      .insertInto('boot_resource_sets')
      .values({
        resource_id: resource.id,
        version: nextSetVersion(sets.map((s) => s.version)),
        label: 'uploaded',
        created: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const file = await trx
      .insertInto('boot_resource_files')
      .values({
        set_id: set.id,
        filename: filetype,
        filetype,
        sha256,
        size,
        source_id: null,
        source_path: null,
        extra: JSON.stringify({ keep_old: input.keepOld }),
        created: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { resource, fileId: file.id };
  });
  if ((await store.storedSize(sha256)) === size) {
    await setSyncedSize(db, regionId, sha256, size);
    await completeUpload(db, fileId);
  } else if (input.content !== undefined) {
    await writer.discard(sha256);
    await writer.append(sha256, input.content);
    await store.publishPartial(sha256);
    await setSyncedSize(db, regionId, sha256, size);
    await completeUpload(db, fileId);
  }
  return resource;
}
