import { urlForPath } from '@kiln/simplestreams';
import { recordEvent } from '../../events/index.js';
import type { DownloadContext } from './download-files.js';
import type { WantedFile } from './plan-rows.js';

/**
 * What the import needs of the cluster's image sync (issue 12): it plans one upstream job per
 * file no region holds, which any live region may take, and waits until this region holds
 * each file (downloaded here, or copied from the region that did).
 */
export interface ClusterTransfers {
  awaitLocal(
    files: readonly { sha256: string; size: number; url: string }[],
    signal: AbortSignal,
    onBytes: (sha256: string, bytes: number) => void,
  ): Promise<{ done: Set<string>; failed: Map<string, string> }>;
}

/** `downloadFiles` through transfer jobs: same result, same events for failures. */
export async function transferFiles(
  ctx: DownloadContext,
  sync: ClusterTransfers,
  files: readonly WantedFile[],
): Promise<{ ok: number; failed: WantedFile[] }> {
  if (files.length === 0) return { ok: 0, failed: [] };
  const wanted = files.map((f) => ({
    sha256: f.sha256,
    size: f.size,
    url: urlForPath(f.root, f.path).href,
  }));
  const result = await sync.awaitLocal(wanted, ctx.signal, (sha, bytes) => {
    ctx.progress.bytes(sha, bytes);
  });
  const failed: WantedFile[] = [];
  for (const file of files) {
    const error = result.failed.get(file.sha256);
    if (error === undefined) {
      ctx.progress.bytes(file.sha256, file.size);
      ctx.metrics.filesVerified.inc();
      continue;
    }
    failed.push(file);
    const mismatch = /sha256|size/i.test(error);
    if (mismatch) ctx.metrics.verificationFailures.inc();
    await recordEvent(ctx.db, {
      type: 'Image import error',
      level: 'ERROR',
      description: `${mismatch ? 'Verification failed for' : 'Failed to download'} ${file.path} (sha256 ${file.sha256}, ${file.size} bytes) from ${file.sourceUrl}: ${error}`,
    });
  }
  return { ok: files.length - failed.length, failed };
}
