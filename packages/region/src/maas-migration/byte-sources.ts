import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { BlobProblem } from './blob-problem.js';
import type { PlannedBlob } from './migration-plan.js';

/** Something that can stream one content's bytes from an offset (resume) to its end. */
export interface ByteSource {
  readonly description: string;
  read(blob: PlannedBlob, offset: number, write: (chunk: Buffer) => Promise<void>): Promise<void>;
}

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

interface PgError {
  code?: string;
  message?: string;
}

/**
 * Large objects through `lo_get(oid, offset, length)`, one bounded chunk per query: a whole
 * object as one bytea would fail past 1 GB. Runs on the caller's connection, inside its
 * REPEATABLE READ READ ONLY transaction, so every chunk comes from the same snapshot.
 */
export function largeObjectSource(client: pg.ClientBase, chunkBytes: number): ByteSource {
  return {
    description: 'the MAAS database (large objects)',
    async read(blob, offset, write) {
      const oid = blob.file.oid;
      if (oid === null) throw new BlobProblem('unavailable', blob.sha256, 'no large object');
      let at = offset;
      while (at < blob.size) {
        const length = Math.min(chunkBytes, blob.size - at);
        let data: Buffer | undefined;
        try {
          const result = await client.query<{ data: Buffer }>(
            'select lo_get($1::oid, $2::bigint, $3::int) as data',
            [oid, at, length],
          );
          data = result.rows[0]?.data;
        } catch (error) {
          const e = error as PgError;
          if (e.code === '42501')
            throw new BlobProblem('permission', blob.sha256, e.message ?? 'permission denied');
          if (e.code === '42704')
            throw new BlobProblem('missing', blob.sha256, e.message ?? 'large object missing');
          throw error;
        }
        if (data === undefined || data.length === 0)
          throw new BlobProblem(
            'short',
            blob.sha256,
            `large object ${oid} ends at ${at} bytes; ${blob.size} were recorded`,
          );
        await write(data);
        at += data.length;
      }
    },
  };
}

function safeName(name: string): boolean {
  return /^[A-Za-z0-9._-]+$/.test(name) && name !== '.' && name !== '..';
}

/** A copy of a MAAS region's `image-storage` directory (files named by `filename_on_disk`). */
export function directorySource(dir: string, chunkBytes: number): ByteSource {
  return {
    description: `the directory ${dir}`,
    async read(blob, offset, write) {
      const name = blob.file.nameOnDisk;
      if (!safeName(name))
        throw new BlobProblem('unavailable', blob.sha256, `unsafe file name '${name}'`);
      const stream = createReadStream(join(dir, name), {
        start: offset,
        highWaterMark: chunkBytes,
      });
      try {
        for await (const chunk of stream) await write(chunk as Buffer);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          throw new BlobProblem('unavailable', blob.sha256, `${join(dir, name)} does not exist`);
        throw error;
      }
    },
  };
}

/** GETs `url` from `offset` (Range when > 0) and writes the body; a 200 to a Range skips ahead. */
export async function readHttp(
  url: URL,
  sha256: string,
  offset: number,
  write: (chunk: Buffer) => Promise<void>,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
      redirect: 'follow',
    });
  } catch (error) {
    throw new BlobProblem(
      'unavailable',
      sha256,
      `${url.toString()}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw new BlobProblem('unavailable', sha256, `${url.toString()}: HTTP ${response.status}`);
  }
  let skip = response.status === 200 ? offset : 0;
  if (response.body === null) return;
  for await (const part of response.body) {
    let chunk: Buffer = Buffer.from(part as Uint8Array);
    if (skip > 0) {
      const drop = Math.min(skip, chunk.length);
      chunk = chunk.subarray(drop);
      skip -= drop;
      if (chunk.length === 0) continue;
    }
    await write(chunk);
  }
}

/** A MAAS 3.5+ region's own file server: `<region>/boot-resources/<filename_on_disk>/`, no auth. */
export function regionHttpSource(regionUrl: string): ByteSource {
  const base = new URL(regionUrl.endsWith('/') ? regionUrl : `${regionUrl}/`);
  return {
    description: `the MAAS region at ${base.toString()}`,
    async read(blob, offset, write) {
      const name = blob.file.nameOnDisk;
      if (!safeName(name))
        throw new BlobProblem('unavailable', blob.sha256, `unsafe file name '${name}'`);
      await readHttp(new URL(`boot-resources/${name}/`, base), blob.sha256, offset, write);
    },
  };
}

/** `--refetch-synced`: the upstream stream's item URL for each sha256 it still publishes. */
export function upstreamSource(urls: ReadonlyMap<string, URL>): ByteSource & {
  has(sha256: string): boolean;
} {
  return {
    description: 'the upstream boot source',
    has: (sha256) => urls.has(sha256),
    async read(blob, offset, write) {
      const url = urls.get(blob.sha256);
      if (url === undefined)
        throw new BlobProblem('unavailable', blob.sha256, 'not published upstream any more');
      await readHttp(url, blob.sha256, offset, write);
    },
  };
}
