/** What the client needs to know about the file slot a boot-resource `create` made. */
export interface UploadFileState {
  readonly complete: boolean;
  readonly uploadUri: string | null;
  readonly size: number | null;
  /** Bytes the server already holds; 0 when it does not say. */
  readonly received: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function byteCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/**
 * The single file of the newest set of a boot resource, or null when that cannot be known
 * (no sets, or a set with other than exactly one file): the upload protocol targets one file.
 * Set versions (`YYYYMMDD`, `YYYYMMDD.N`) sort newest-last as strings, as the MAAS CLI assumes.
 */
export function pickUploadFile(resource: unknown): UploadFileState | null {
  if (!isRecord(resource) || !isRecord(resource.sets)) return null;
  const versions = Object.keys(resource.sets).sort();
  const newest = versions.at(-1);
  if (newest === undefined) return null;
  const set = resource.sets[newest];
  if (!isRecord(set) || !isRecord(set.files)) return null;
  const files = Object.values(set.files);
  const [file] = files;
  if (files.length !== 1 || !isRecord(file)) return null;
  const size = byteCount(file.size);
  // A resumed upload continues from the server's count of stored bytes (`received`), never
  // from a percentage, which cannot name an exact byte.
  const reported = byteCount(file.received);
  const received = reported !== null && (size === null || reported <= size) ? reported : 0;
  return {
    complete: file.complete === true,
    uploadUri: typeof file.upload_uri === 'string' ? file.upload_uri : null,
    size,
    received,
  };
}
