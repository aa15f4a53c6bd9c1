import { AppError } from '@kiln/node-kit';
import type { ResolvedArgument } from './arguments.js';
import { encodeMultipart } from './multipart.js';

export interface PreparedRequest {
  readonly method: string;
  readonly url: string;
  readonly body?: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Fills `{param}` placeholders of a describe URI template. Values are percent-encoded so a
 * name containing `/` or `?` cannot address another resource.
 */
export function fillUriTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
): string {
  return template.replace(/\{([^{}]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new AppError('CLI_MISSING_ARGUMENT', `Missing value for '${name}'.`);
    }
    return encodeURIComponent(value);
  });
}

/**
 * The MAAS CLI's encoding: GET and DELETE carry everything in the query string (files as
 * text); other methods put only `op` in the query and the parameters in a multipart body.
 */
export function preparePayload(
  method: string,
  uri: string,
  op: string | null,
  data: readonly ResolvedArgument[],
): PreparedRequest {
  const url = new URL(uri);
  url.search = '';
  if (op !== null) url.searchParams.append('op', op);
  const upper = method.toUpperCase();
  if (upper === 'GET' || upper === 'DELETE') {
    for (const item of data) url.searchParams.append(item.name, item.value.toString());
    return { method: upper, url: url.toString(), headers: {} };
  }
  if (data.length === 0) return { method: upper, url: url.toString(), headers: {} };
  const encoded = encodeMultipart(
    data.map((item) =>
      item.isFile ? { name: item.name, value: item.value, filename: item.name } : item,
    ),
  );
  return {
    method: upper,
    url: url.toString(),
    body: encoded.body,
    headers: { 'Content-Type': encoded.contentType },
  };
}
