import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { dropSyncRecords, knownFiles } from './file-syncs.js';
import type { ImageStore } from './image-store.js';

export interface VerifyProblem {
  readonly sha256: string;
  readonly expectedSize: number;
  readonly actualSize: number;
  readonly actualSha256: string;
  /** Where the file went when quarantined. */
  readonly quarantinedTo?: string;
}

export interface VerifyReport {
  readonly checked: number;
  readonly bytes: number;
  readonly missing: string[];
  readonly problems: VerifyProblem[];
}

export interface VerifyOptions {
  readonly quarantine?: boolean;
  readonly onFile?: (sha256: string, index: number, total: number) => void;
}

/**
 * `kiln images verify`: re-hashes every stored file a resource references. A file whose bytes
 * do not hash to its name is reported and, with `quarantine`, moved to `image-storage/quarantine/`
 * with this region's sync record dropped so the next import fetches it again.
 */
export async function verifyStore(
  db: Kysely<Database>,
  store: ImageStore,
  regionId: string,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const files = await knownFiles(db, regionId);
  const problems: VerifyProblem[] = [];
  const missing: string[] = [];
  let checked = 0;
  let bytes = 0;
  for (const [index, file] of files.entries()) {
    options.onFile?.(file.sha256, index, files.length);
    if ((await store.storedSize(file.sha256)) === null) {
      missing.push(file.sha256);
      continue;
    }
    const digest = await store.hash(file.sha256);
    checked += 1;
    bytes += digest.size;
    if (digest.sha256 === file.sha256 && digest.size === file.size) continue;
    const problem: VerifyProblem = {
      sha256: file.sha256,
      expectedSize: file.size,
      actualSize: digest.size,
      actualSha256: digest.sha256,
    };
    if (options.quarantine === true) {
      const to = await store.quarantine(file.sha256);
      await dropSyncRecords(db, regionId, file.sha256);
      problems.push({ ...problem, quarantinedTo: to });
    } else problems.push(problem);
  }
  return { checked, bytes, missing, problems };
}
