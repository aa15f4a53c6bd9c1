import { uploadBootResource, type ApiClient, type DataArgument } from '../../client/index.js';
import {
  createByteProgress,
  formatBytes,
  printResponse,
  type ByteProgress,
} from '../../output/index.js';
import type { Profile } from '../../profiles/index.js';
import { EXIT_HTTP_FAILURE, type CliContext } from './context.js';
import { warnOnStaleDescription } from './response-notes.js';

/** `boot-resources create ... content@=FILE`: chunked upload with a progress bar on stderr. */
export async function runBootResourceUpload(
  ctx: CliContext,
  profile: Profile,
  client: ApiClient,
  uri: string,
  args: readonly DataArgument[],
): Promise<void> {
  let bar: ByteProgress | undefined;
  const outcome = await uploadBootResource(client, uri, args, {
    onStart(total, start) {
      if (start > 0)
        ctx.printer.error(`Resuming upload at ${formatBytes(start)} of ${formatBytes(total)}.`);
      bar = createByteProgress(ctx.io, 'Uploading', total, start);
    },
    onProgress(done) {
      bar?.update(done);
    },
    onFinish() {
      bar?.stop();
    },
  });
  warnOnStaleDescription(
    ctx,
    profile,
    outcome.kind === 'failed' ? outcome.response : outcome.resource,
  );
  switch (outcome.kind) {
    case 'failed':
      printResponse(ctx.printer, outcome.response);
      ctx.exitCode = EXIT_HTTP_FAILURE;
      return;
    case 'already-complete':
      ctx.printer.error('The region already has this content (same sha256); nothing to upload.');
      printResponse(ctx.printer, outcome.resource);
      return;
    case 'uploaded':
      printResponse(ctx.printer, outcome.resource);
      return;
  }
}
