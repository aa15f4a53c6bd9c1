/**
 * The UI talks to the same MAAS API 2.0 as the CLI, authenticated by the session cookie. Unsafe
 * methods echo the csrftoken cookie in X-CSRFToken (the region refuses them otherwise).
 */
export const API = '/MAAS/api/2.0/';

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export function csrfToken(): string {
  const match = /(?:^|;\s*)csrftoken=([^;]*)/.exec(document.cookie);
  return match?.[1] === undefined ? '' : decodeURIComponent(match[1]);
}

export type FormValue = string | number | boolean | readonly string[] | Blob;
export type FormFields = Readonly<Record<string, FormValue | undefined>>;

/** MAAS answers form errors as {field: [messages]}; show them as one readable line. */
function messageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (Array.isArray(parsed)) return parsed.join(' ');
    if (typeof parsed === 'object' && parsed !== null) {
      return Object.entries(parsed as Record<string, unknown>)
        .map(
          ([field, v]) =>
            `${field === '__all__' ? '' : `${field}: `}${Array.isArray(v) ? v.join(' ') : String(v)}`,
        )
        .join('; ');
    }
  } catch {
    // Plain text: the usual MAAS error body.
  }
  return text;
}

function toBody(fields: FormFields): FormData | URLSearchParams {
  const hasFile = Object.values(fields).some((v) => v instanceof Blob);
  const body = hasFile ? new FormData() : new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (value instanceof Blob) (body as FormData).append(key, value, key);
    else if (Array.isArray(value)) for (const v of value as string[]) body.append(key, v);
    else body.append(key, String(value));
  }
  return body;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  fields?: FormFields,
  raw?: { body: Blob; contentType: string },
): Promise<T> {
  const url = path.startsWith('/') ? path : `${API}${path}`;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRFToken'] = csrfToken();
  let body: BodyInit | undefined;
  if (raw !== undefined) {
    body = raw.body;
    headers['Content-Type'] = raw.contentType;
  } else if (fields !== undefined) body = toBody(fields);
  const response = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, messageOf(text) || response.statusText);
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') && text !== '' ? JSON.parse(text) : text) as T;
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, fields: FormFields = {}) => request<T>('POST', path, fields);
export const put = <T>(path: string, fields: FormFields = {}) => request<T>('PUT', path, fields);
export const del = (path: string) => request<string>('DELETE', path);
