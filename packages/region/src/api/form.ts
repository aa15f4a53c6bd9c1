/** A file part of a multipart body, already decoded (RFC 2045 base64 parts are turned into bytes). */
export interface FormFile {
  readonly filename: string;
  readonly contentType: string;
  readonly data: Buffer;
}

export type FormValue = string | FormFile;

export function isFormFile(value: FormValue | undefined): value is FormFile {
  return typeof value === 'object';
}

/**
 * Request parameters as MAAS sees them: query string and body merged, repeated keys kept as
 * lists in arrival order (query first). `op` is not a parameter; the dispatcher consumes it.
 */
export class Form {
  readonly #entries = new Map<string, FormValue[]>();

  add(name: string, value: FormValue): void {
    const list = this.#entries.get(name);
    if (list === undefined) this.#entries.set(name, [value]);
    else list.push(value);
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  all(name: string): readonly FormValue[] {
    return this.#entries.get(name) ?? [];
  }

  /** The last value given for a name, as Django's QueryDict returns for single-valued fields. */
  last(name: string): FormValue | undefined {
    const list = this.#entries.get(name);
    return list?.[list.length - 1];
  }

  names(): string[] {
    return [...this.#entries.keys()];
  }
}
