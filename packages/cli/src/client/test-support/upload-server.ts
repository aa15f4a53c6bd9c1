import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { decodeForm } from './decode-form.js';
import {
  startLoopbackServer,
  type LoopbackServer,
  type ReceivedRequest,
} from './loopback-server.js';

interface StoredFile {
  readonly id: number;
  readonly sha256: string;
  readonly size: number;
  readonly name: string;
  readonly architecture: string;
  data: Buffer;
}

export interface UploadServer extends LoopbackServer {
  readonly requests: ReceivedRequest[];
  readonly files: Map<string, StoredFile>;
  /** Answer the Nth PUT (1-based, counted over the server's life) with 500 instead of storing it. */
  readonly control: { failPutNumber: number | null };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader(
    'Content-Type',
    typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
  );
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

function render(file: StoredFile): unknown {
  const complete = file.data.length === file.size;
  const base = `/MAAS/api/2.0/boot-resources/${file.id}/`;
  return {
    id: file.id,
    type: 'Uploaded',
    name: file.name,
    architecture: file.architecture,
    resource_uri: base,
    sets: {
      '20260101': {
        version: '20260101',
        label: 'uploaded',
        size: file.size,
        complete,
        files: {
          'root-tgz': {
            filename: 'root-tgz',
            filetype: 'root-tgz',
            sha256: file.sha256,
            size: file.size,
            complete,
            received: file.data.length,
            ...(complete ? {} : { upload_uri: `${base}upload/1/` }),
          },
        },
      },
    },
  };
}

/**
 * The boot-resource side of the MAAS chunked upload protocol (spec §2.9), small enough to read
 * at a glance, plus the `received` byte count Kiln's region reports for resumable uploads.
 */
export async function startUploadServer(): Promise<UploadServer> {
  const files = new Map<string, StoredFile>();
  const requests: ReceivedRequest[] = [];
  let puts = 0;
  const control: { failPutNumber: number | null } = { failPutNumber: null };
  const server = await startLoopbackServer(async (request, response) => {
    requests.push(request);
    const path = new URL(request.url, 'http://x').pathname;
    if (request.method === 'POST' && path === '/MAAS/api/2.0/boot-resources/') {
      const form = await decodeForm(request.body, request.headers['content-type'] ?? '');
      if (form.has('content'))
        return send(response, 400, 'content must not be sent with sha256+size');
      const sha256 = text(form, 'sha256');
      const existing = files.get(sha256);
      if (existing) return send(response, 201, render(existing));
      const file: StoredFile = {
        id: files.size + 1,
        sha256,
        size: Number(text(form, 'size')),
        name: text(form, 'name'),
        architecture: text(form, 'architecture'),
        data: Buffer.alloc(0),
      };
      files.set(sha256, file);
      return send(response, 201, render(file));
    }
    const match = /^\/MAAS\/api\/2\.0\/boot-resources\/(\d+)\/(upload\/1\/)?$/.exec(path);
    const file = [...files.values()].find((candidate) => String(candidate.id) === match?.[1]);
    if (!file) return send(response, 404, 'No BootResource matches the given query.');
    if (request.method === 'GET' && !match?.[2]) return send(response, 200, render(file));
    if (request.method !== 'PUT') return send(response, 405, 'Method not allowed');
    puts += 1;
    if (puts === control.failPutNumber) return send(response, 500, 'disk on fire');
    if (request.headers['content-type'] !== 'application/octet-stream')
      return send(response, 400, 'Bad type.');
    if (Number(request.headers['content-length']) !== request.body.length)
      return send(response, 400, 'Bad length.');
    if (request.body.length === 0) return send(response, 400, 'Missing data.');
    if (file.data.length === file.size)
      return send(response, 400, 'Cannot upload to a complete file.');
    if (file.data.length + request.body.length > file.size)
      return send(response, 400, 'Too much data received.');
    file.data = Buffer.concat([file.data, request.body]);
    if (
      file.data.length === file.size &&
      createHash('sha256').update(file.data).digest('hex') !== file.sha256
    ) {
      file.data = Buffer.alloc(0);
      return send(response, 400, 'Saved content does not match given SHA256 value.');
    }
    return send(response, 200, 'OK');
  });
  return { ...server, close: () => server.close(), requests, files, control };
}
