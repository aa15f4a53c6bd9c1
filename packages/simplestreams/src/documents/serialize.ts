function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort())
      out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Serialises a stream document the way images.maas.io's are: sorted keys, one-space indent. */
export function serializeDocument(doc: unknown): string {
  return `${JSON.stringify(sortKeys(doc), null, 1)}\n`;
}

/** RFC 2822 date as the `updated` fields carry it, e.g. `Thu, 24 Jul 2025 08:01:49 +0000`. */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** The `.sjson` path of a `.json` document path and back. */
export function signedPath(path: string): string {
  return path.replace(/\.json$/, '.sjson');
}

export function unsignedPath(path: string): string {
  return path.replace(/\.sjson$/, '.json');
}
