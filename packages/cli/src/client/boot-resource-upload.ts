import { AppError } from '@kiln/node-kit';
import { resolveArguments, type DataArgument } from './arguments.js';
import { digestFile, readChunks } from './file-digest.js';
import { isSuccess, parseJsonBody, type ApiClient, type ApiResponse } from './http.js';
import { encodeMultipart, type FormField } from './multipart.js';
import { pickUploadFile } from './upload-file-state.js';

export interface UploadHooks {
  /** Called once before the first chunk, with the file size and the byte the upload resumes at. */
  onStart?(totalBytes: number, startBytes: number): void;
  /** Called after each accepted chunk with the absolute number of bytes the server now holds. */
  onProgress?(doneBytes: number): void;
  onFinish?(): void;
}

export type UploadOutcome =
  /** The server refused a request; the response is what to show. */
  | { readonly kind: 'failed'; readonly response: ApiResponse }
  /** The content was already there (same sha256): nothing was sent. */
  | { readonly kind: 'already-complete'; readonly resource: ApiResponse }
  | {
      readonly kind: 'uploaded';
      readonly resource: ApiResponse;
      readonly sentBytes: number;
      readonly startBytes: number;
    };

/**
 * `boot-resources create ... content@=FILE` as the MAAS CLI does it: create the resource from
 * the file's sha256 and size, then PUT the content in 4 MiB chunks to the new file's
 * upload_uri. A re-run after an interruption resumes where the server says it stopped.
 */
export async function uploadBootResource(
  client: ApiClient,
  createUri: string,
  args: readonly DataArgument[],
  hooks: UploadHooks = {},
): Promise<UploadOutcome> {
  const content = args.find((arg) => arg.name === 'content');
  if (content?.kind !== 'file') {
    throw new AppError(
      'CLI_UPLOAD_NO_CONTENT',
      'Missing content: pass the image as content@=FILE.',
    );
  }
  const digest = await digestFile(content.path);
  // The server learns about the content from sha256 + size; user-supplied values would lie.
  const others = args.filter((arg) => !['content', 'size', 'sha256'].includes(arg.name));
  const fields: FormField[] = (await resolveArguments(others)).map((item) =>
    item.isFile ? { name: item.name, value: item.value, filename: item.name } : item,
  );
  fields.push(
    { name: 'size', value: String(digest.size) },
    { name: 'sha256', value: digest.sha256 },
  );
  const encoded = encodeMultipart(fields);
  const createUrl = new URL(createUri);
  createUrl.search = '';
  const created = await client.send({
    method: 'POST',
    url: createUrl.toString(),
    body: encoded.body,
    headers: { 'Content-Type': encoded.contentType },
  });
  if (!isSuccess(created)) return { kind: 'failed', response: created };

  const resource = parseJsonBody(created);
  const file = pickUploadFile(resource);
  if (file === null) {
    throw new AppError('CLI_UPLOAD_UNKNOWN_FILE', 'Failed to identify created resource.');
  }
  if (file.complete) return { kind: 'already-complete', resource: created };
  if (file.uploadUri === null) {
    throw new AppError('CLI_UPLOAD_UNKNOWN_FILE', 'The created resource has no upload_uri.');
  }
  const uploadUrl = new URL(file.uploadUri, createUrl).toString();
  const startBytes = Math.min(file.received, digest.size);
  hooks.onStart?.(digest.size, startBytes);
  let done = startBytes;
  try {
    for await (const chunk of readChunks(content.path, startBytes)) {
      const response = await client.send({
        method: 'PUT',
        url: uploadUrl,
        body: chunk.data,
        headers: {
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(chunk.data.length),
        },
      });
      if (!isSuccess(response)) return { kind: 'failed', response };
      done = chunk.position + chunk.data.length;
      hooks.onProgress?.(done);
    }
  } finally {
    hooks.onFinish?.();
  }
  return {
    kind: 'uploaded',
    resource: await refetch(client, created, createUrl),
    sentBytes: done - startBytes,
    startBytes,
  };
}

/** The resource after its content arrived; falls back to the create answer if it can't be read. */
async function refetch(client: ApiClient, created: ApiResponse, base: URL): Promise<ApiResponse> {
  const body = parseJsonBody(created);
  const uri =
    typeof body === 'object' && body !== null && 'resource_uri' in body ? body.resource_uri : null;
  if (typeof uri !== 'string') return created;
  const response = await client.send({ method: 'GET', url: new URL(uri, base).toString() });
  return isSuccess(response) ? response : created;
}
