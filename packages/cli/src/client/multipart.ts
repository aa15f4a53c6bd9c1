import { randomBytes } from 'node:crypto';

/** One form field; a `Buffer` value with a filename becomes a file part. */
export interface FormField {
  readonly name: string;
  readonly value: string | Buffer;
  readonly filename?: string;
}

export interface EncodedBody {
  readonly body: Buffer;
  readonly contentType: string;
}

// Quotes, CR and LF cannot appear inside a quoted Content-Disposition parameter; escaping them
// the way browsers do (WHATWG form encoding) keeps the header parseable.
function quoteParam(value: string): string {
  return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function chooseBoundary(fields: readonly FormField[]): string {
  for (;;) {
    const boundary = `kiln-${randomBytes(16).toString('hex')}`;
    const clash = fields.some((field) => Buffer.from(field.value).includes(boundary));
    if (!clash) return boundary;
  }
}

/**
 * multipart/form-data (RFC 7578). Field order and repeated names are preserved, because MAAS
 * reads repeated keys as a list (`arches=amd64 arches=arm64`).
 */
export function encodeMultipart(fields: readonly FormField[]): EncodedBody {
  const boundary = chooseBoundary(fields);
  const chunks: Buffer[] = [];
  for (const field of fields) {
    const isFile = field.filename !== undefined;
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quoteParam(field.name)}"`;
    if (isFile) head += `; filename="${quoteParam(field.filename ?? field.name)}"`;
    head += isFile
      ? '\r\nContent-Type: application/octet-stream\r\n\r\n'
      : '\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n';
    chunks.push(Buffer.from(head, 'utf8'), Buffer.from(field.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(chunks),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
