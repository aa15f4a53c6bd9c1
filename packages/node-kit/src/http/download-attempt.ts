import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { AppError, ExternalError } from '../errors/index.js';
import { FatalTransferError, statusError } from './http-errors.js';
import { openRequest, type OpenRequestOptions } from './open-request.js';

export interface AttemptState {
  readonly url: string;
  readonly partial: string;
  readonly size: number | undefined;
  /** Validator (ETag or Last-Modified) of the response that produced the partial bytes. */
  validator: string | undefined;
}

export interface AttemptResult {
  readonly sha256: string;
  readonly size: number;
  /** Offset this attempt resumed from (0 when it started over). */
  readonly resumedFrom: number;
}

export type AttemptProgress = (
  received: number,
  total: number | undefined,
  resumedFrom: number,
) => void;

async function partialSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function hashPrefix(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
}

function parseContentRangeStart(header: string | undefined): number | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Bytes received but not yet written before the response is paused (backpressure). 1 MiB, not
 * more: chunks queued longer outlive young-generation collections, and at 8 MiB a 256 MiB import
 * spent 2.2 s in 71 old-space mark-compacts against 0.4 s and 5 at 1 MiB (1.36 s vs 2.05 s per
 * import, `node --trace-gc` on bench/suites/import.ts). Paused bytes wait in the kernel's socket
 * buffer; a cut loses at most those, and the Range resume fetches them again.
 */
const MAX_QUEUED_BYTES = 1024 * 1024;

interface Sink {
  readonly handle: FileHandle;
  readonly hash: Hash;
}

/**
 * Moves the body into the file in flowing mode, listening from the moment the response exists.
 * Unlike an async iterator, 'data' events hand over every byte that arrived before a connection
 * reset, so a cut transfer keeps all it received and the resume starts exactly there. Chunks are
 * hashed and written in order inside one chain, after `prepare` opened the file.
 */
function pump(
  response: IncomingMessage,
  prepare: Promise<Sink>,
  offset: number,
  onChunk: (received: number) => void,
): Promise<{ received: number; sink: Sink }> {
  return new Promise((resolve, reject) => {
    let received = offset;
    let queued = 0;
    let writes: Promise<Sink> = prepare;
    let failed = false;
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      response.destroy();
      // Socket errors mid-body (ECONNRESET, "aborted") all mean the same thing here: resume later.
      const reason =
        error instanceof AppError
          ? error
          : new ExternalError(
              'HTTP_TRUNCATED',
              `Connection lost after ${received} bytes: ${String(error)}`,
              {
                cause: error,
              },
            );
      writes.then(() => reject(reason), reject);
    };
    prepare.catch(fail);
    response.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        onChunk(received + chunk.length);
      } catch (error) {
        fail(error);
        return;
      }
      received += chunk.length;
      // Keep flowing while the disk keeps up: bytes left in a paused stream are lost if the
      // connection then drops, and would have to be fetched again.
      queued += chunk.length;
      if (queued > MAX_QUEUED_BYTES) response.pause();
      writes = writes.then(async (sink) => {
        sink.hash.update(chunk);
        await sink.handle.write(chunk);
        queued -= chunk.length;
        if (queued <= MAX_QUEUED_BYTES && response.isPaused()) response.resume();
        return sink;
      });
      writes.catch(fail);
    });
    response.once('end', () => {
      writes.then((sink) => resolve({ received, sink }), reject);
    });
    response.once('error', fail);
    response.once('close', () => {
      if (!response.complete)
        fail(new ExternalError('HTTP_TRUNCATED', `Connection closed after ${received} bytes`));
    });
  });
}

/**
 * The validator of a partial's bytes is kept beside it, so that a later process resuming the
 * partial can send If-Range and get the whole file instead of a splice of two versions. The
 * name ends in `.partial`, like everything that must never be served.
 */
export function validatorPath(partial: string): string {
  return partial.replace(/\.partial$/, '.validator.partial');
}

export async function readValidator(partial: string): Promise<string | undefined> {
  const text = await readFile(validatorPath(partial), 'utf8').catch(() => undefined);
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

export async function discardPartial(partial: string): Promise<void> {
  await rm(partial, { force: true });
  await rm(validatorPath(partial), { force: true });
}

async function openSink(
  partial: string,
  offset: number,
  validator: string | undefined,
): Promise<Sink> {
  if (validator === undefined) await rm(validatorPath(partial), { force: true });
  else await writeFile(validatorPath(partial), validator);
  const hash = createHash('sha256');
  if (offset > 0) await hashPrefix(partial, hash);
  return { hash, handle: await open(partial, offset > 0 ? 'a' : 'w') };
}

/**
 * One HTTP attempt: resumes `partial` with Range when it has bytes, appends (206) or starts over
 * (200), and returns the sha256 and size of the complete partial. Connection failures propagate
 * as retryable errors with the partial kept, so the next attempt resumes.
 */
export async function downloadAttempt(
  state: AttemptState,
  request: Omit<OpenRequestOptions, 'method'>,
  onProgress: AttemptProgress | undefined,
): Promise<AttemptResult> {
  let have = await partialSize(state.partial);
  if (state.size !== undefined && have > state.size) {
    await discardPartial(state.partial);
    state.validator = undefined;
    have = 0;
  }
  if (state.size !== undefined && have === state.size && have > 0) {
    // A previous run wrote every byte but stopped before the rename: just check it.
    const hash = createHash('sha256');
    await hashPrefix(state.partial, hash);
    return { sha256: hash.digest('hex'), size: have, resumedFrom: have };
  }
  const headers: Record<string, string> = {
    ...(request.headers as Record<string, string> | undefined),
  };
  if (have > 0) {
    headers.range = `bytes=${have}-`;
    if (state.validator !== undefined) headers['if-range'] = state.validator;
  }
  const { response, url } = await openRequest(state.url, { ...request, headers });
  const status = response.statusCode ?? 0;
  if (status === 416) {
    response.resume();
    // The server has fewer bytes than we do: the partial belongs to another file. Start over.
    await discardPartial(state.partial);
    state.validator = undefined;
    throw new ExternalError(
      'HTTP_RANGE_NOT_SATISFIABLE',
      `${url.href} refused range bytes=${have}-`,
    );
  }
  if (status !== 200 && status !== 206) {
    response.resume();
    throw statusError(url, status);
  }
  let offset = 0;
  if (status === 206) {
    const start = parseContentRangeStart(response.headers['content-range']);
    if (start !== have) {
      response.destroy();
      await discardPartial(state.partial);
      throw new ExternalError(
        'HTTP_BAD_CONTENT_RANGE',
        `${url.href} answered range ${String(start)} for ${have}`,
      );
    }
    offset = have;
  }
  const etag = response.headers.etag;
  state.validator =
    etag !== undefined && !etag.startsWith('W/') ? etag : response.headers['last-modified'];
  const length = response.headers['content-length'];
  const total = state.size ?? (length === undefined ? undefined : offset + Number(length));
  const prepare = openSink(state.partial, offset, state.validator);
  onProgress?.(offset, total, offset);
  let received = offset;
  let sink: Sink | undefined;
  try {
    ({ received, sink } = await pump(response, prepare, offset, (count) => {
      if (state.size !== undefined && count > state.size) {
        throw new FatalTransferError(
          'HTTP_SIZE_MISMATCH',
          `${state.partial}: ${url.href} sent more than the expected ${state.size} bytes; the partial download was discarded`,
        );
      }
      onProgress?.(count, total, offset);
    }));
    await sink.handle.sync();
  } finally {
    await prepare.then((s) => s.handle.close()).catch(() => undefined);
  }
  if (length !== undefined && received - offset !== Number(length)) {
    throw new ExternalError(
      'HTTP_TRUNCATED',
      `${url.href} ended after ${received - offset} of ${length} bytes`,
    );
  }
  return { sha256: sink.hash.digest('hex'), size: received, resumedFrom: offset };
}
