import { basename, dirname } from 'node:path';
import { downloadFile } from '@kiln/node-kit';
import { downloadStreamFile } from '@kiln/simplestreams';
import type { ImageStore } from '../images/index.js';
import { signPeerRequest } from './peer-auth.js';
import { PEER_FILES_PATH } from './peer-routes.js';
import type { SyncMetrics } from './sync-metrics.js';
import type { ClaimedJob } from './transfer-queue.js';

/** What one transfer needs of its region's engine. */
export interface FetchContext {
  readonly store: ImageStore;
  readonly regionId: string;
  readonly metrics: SyncMetrics;
  readonly secret: () => Promise<string>;
  readonly onUpstreamBytes?: (bytes: number) => void;
}

/**
 * An upstream job: the stream file into the store's partial, resumed with Range from what is
 * already there, verified by sha256 and size before the rename. Only new bytes are counted.
 */
export async function fetchUpstream(
  ctx: FetchContext,
  job: ClaimedJob,
  signal: AbortSignal,
  onBytes: (n: number) => void,
): Promise<void> {
  const url = new URL(job.sourceUrl);
  const root = new URL(`${dirname(url.pathname)}/`, url);
  let last = 0;
  await downloadStreamFile(
    root,
    { path: basename(url.pathname), sha256: job.sha256, size: job.size },
    ctx.store.pathFor(job.sha256),
    {
      signal,
      retries: 0,
      onBytes: (received, resumedFrom) => {
        const fresh = received - Math.max(last, resumedFrom);
        if (fresh > 0) {
          ctx.metrics.upstreamBytes.inc({ region: ctx.regionId }, fresh);
          ctx.onUpstreamBytes?.(fresh);
        }
        last = received;
        onBytes(received);
      },
    },
  );
}

/** A peer job: the file from a region that holds it, over the signed peer route, with Range. */
export async function fetchPeer(
  ctx: FetchContext,
  job: ClaimedJob,
  source: { regionId: string; url: string },
  signal: AbortSignal,
  onBytes: (n: number) => void,
): Promise<void> {
  const target = new URL(`region-peer/files/${job.sha256}`, source.url);
  const path = `${PEER_FILES_PATH}${job.sha256}`;
  let last = 0;
  await downloadFile(target.href, ctx.store.pathFor(job.sha256), {
    sha256: job.sha256,
    size: job.size,
    signal,
    retries: 0,
    headers: { authorization: signPeerRequest(await ctx.secret(), ctx.regionId, path) },
    onProgress: (p) => {
      const fresh = p.received - Math.max(last, p.resumedFrom);
      if (fresh > 0)
        ctx.metrics.peerBytes.inc({ region: ctx.regionId, source: source.regionId }, fresh);
      last = p.received;
      onBytes(p.received);
    },
  });
}
