import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { AppError, isAppError } from '@kiln/node-kit';
import { Form } from './form.js';

/** RFC 2045: a part may declare base64 transfer encoding; maascli's MIME encoder does so. */
function decodeTransfer(data: Buffer, encoding: string): Buffer {
  if (encoding.toLowerCase() === 'base64')
    return Buffer.from(data.toString('latin1').replace(/\s+/g, ''), 'base64');
  return data;
}

/** Query string first, then the body (form-urlencoded or multipart), as MAAS's dispatcher reads them. */
export async function readForm(
  request: FastifyRequest,
): Promise<{ form: Form; op: string | null }> {
  const form = new Form();
  let op: string | null = null;
  const add = (
    name: string,
    value: string | { filename: string; contentType: string; data: Buffer },
  ): void => {
    if (name === 'op') {
      // An empty op is no op (gomaasapi sends `?op=` with every plain create).
      if (op === null && typeof value === 'string' && value !== '') op = value;
      return;
    }
    form.add(name, value);
  };
  const query = new URL(request.url, 'http://localhost').searchParams;
  for (const [name, value] of query) add(name, value);
  if (request.isMultipart()) {
    try {
      await readParts(request, add);
    } catch (error) {
      // Fastify's own client errors (e.g. file too large: 413) keep their status.
      const status = (error as { statusCode?: unknown }).statusCode;
      if (
        isAppError(error) ||
        (typeof status === 'number' && status >= 400 && status < 500 && status !== 406)
      )
        throw error;
      throw new AppError(
        'API_BAD_REQUEST_BODY',
        `Malformed multipart body: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  } else if (request.body instanceof URLSearchParams) {
    for (const [name, value] of request.body) add(name, value);
  }
  return { form, op };
}

type AddValue = (
  name: string,
  value: string | { filename: string; contentType: string; data: Buffer },
) => void;

async function readParts(request: FastifyRequest, add: AddValue): Promise<void> {
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const data = decodeTransfer(await part.toBuffer(), part.encoding);
      add(part.fieldname, { filename: part.filename, contentType: part.mimetype, data });
    } else {
      const raw = typeof part.value === 'string' ? part.value : String(part.value);
      const value =
        part.encoding.toLowerCase() === 'base64'
          ? decodeTransfer(Buffer.from(raw, 'latin1'), 'base64').toString('utf8')
          : raw;
      add(part.fieldname, value);
    }
  }
}
