import {
  ApiClient,
  fillUriTemplate,
  handlerCommandName,
  handlerUriTemplate,
  isSuccess,
  parseApiKey,
  parseDataArgument,
  preparePayload,
  resolveArguments,
  type GrammarAction,
} from '../../client/index.js';
import { printResponse } from '../../output/index.js';
import type { Profile } from '../../profiles/index.js';
import { EXIT_HTTP_FAILURE, type CliContext } from './context.js';
import { runBootResourceUpload } from './run-upload.js';
import { printDebugSummary, warnOnStaleDescription } from './response-notes.js';

export interface ActionInvocation {
  readonly positional: readonly string[];
  readonly data: readonly string[];
  readonly debug: boolean;
}

/** Runs one `kiln PROFILE RESOURCE ACTION ...` command; sets the exit code from the status. */
export async function runApiAction(
  ctx: CliContext,
  profile: Profile,
  target: GrammarAction,
  invocation: ActionInvocation,
): Promise<void> {
  const client = new ApiClient(
    profile.credentials === null ? null : parseApiKey(profile.credentials),
  );
  const values: Record<string, string> = {};
  target.handler.params.forEach((param, index) => {
    const value = invocation.positional[index];
    if (value !== undefined) values[param] = value;
  });
  const uri = fillUriTemplate(handlerUriTemplate(profile.url, target.handler), values);
  const args = invocation.data.map(parseDataArgument);

  const isUpload =
    handlerCommandName(target.handler.name) === 'boot-resources' &&
    target.action.name === 'create' &&
    args.some((arg) => arg.name === 'content' && arg.kind === 'file');
  if (isUpload) {
    await runBootResourceUpload(ctx, profile, client, uri, args);
    return;
  }

  const request = preparePayload(
    target.action.method,
    uri,
    target.action.op,
    await resolveArguments(args),
  );
  const response = await client.send(request);
  warnOnStaleDescription(ctx, profile, response);
  if (invocation.debug) printDebugSummary(ctx, response);
  printResponse(ctx.printer, response);
  if (!isSuccess(response)) ctx.exitCode = EXIT_HTTP_FAILURE;
}
