import { get, post, request } from '../shared/api-client.js';
import type { ResourceDetail, ResourceFile } from './image-types.js';

/** The chunk size maascli uses (1 << 22). */
export const CHUNK_BYTES = 4 * 1024 * 1024;

export interface UploadFields {
  readonly name: string;
  readonly title: string;
  readonly architecture: string;
  readonly filetype: string;
  readonly baseImage: string;
}

async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function uploadFileOf(detail: ResourceDetail): ResourceFile | undefined {
  const version = Object.keys(detail.sets).sort().reverse()[0];
  const set = version === undefined ? undefined : detail.sets[version];
  return set === undefined ? undefined : Object.values(set.files)[0];
}

/** Creates the resource (sha256 + size, no content) as `maas … boot-resources create` does. */
export async function createUpload(fields: UploadFields, file: File): Promise<number> {
  const detail = await post<ResourceDetail>('boot-resources/', {
    name: fields.name,
    title: fields.title === '' ? undefined : fields.title,
    architecture: fields.architecture,
    filetype: fields.filetype,
    base_image: fields.baseImage === '' ? undefined : fields.baseImage,
    sha256: await sha256Hex(file),
    size: file.size,
  });
  return detail.id;
}

/**
 * Sends the rest of the file in 4 MiB PUTs, starting from what the region already holds
 * (`received`), so a retry after a failure or a reload resumes instead of starting over.
 */
export async function sendChunks(
  resourceId: number,
  file: File,
  onProgress: (sent: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const detail = await get<ResourceDetail>(`boot-resources/${String(resourceId)}/`);
  const target = uploadFileOf(detail);
  if (target === undefined) throw new Error('The region created no file for this upload.');
  if (target.complete) {
    onProgress(file.size);
    return;
  }
  if (target.upload_uri === undefined)
    throw new Error('The region gave no upload address for this file.');
  let offset = target.received ?? 0;
  onProgress(offset);
  while (offset < file.size) {
    if (signal.aborted) throw new Error('Upload paused.');
    const chunk = file.slice(offset, Math.min(file.size, offset + CHUNK_BYTES));
    await request('PUT', target.upload_uri, undefined, {
      body: chunk,
      contentType: 'application/octet-stream',
    });
    offset += chunk.size;
    onProgress(offset);
  }
}
