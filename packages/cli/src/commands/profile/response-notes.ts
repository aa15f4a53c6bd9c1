import type { ApiResponse } from '../../client/index.js';
import type { Profile } from '../../profiles/index.js';
import type { CliContext } from './context.js';

/** MAAS sends `X-MAAS-API-Hash` on every answer; a different hash means our commands are stale. */
export function warnOnStaleDescription(
  ctx: CliContext,
  profile: Profile,
  response: ApiResponse,
): void {
  const remote = response.headers.get('x-maas-api-hash');
  if (remote === null || remote === profile.description.hash) return;
  ctx.printer.warning(
    'The API on the server differs from the description that is cached locally. ' +
      `This may result in failed API calls. Refresh the local API description with \`kiln refresh\`.`,
  );
}

export function printDebugSummary(ctx: CliContext, response: ApiResponse): void {
  const lines = [`${response.status} ${response.statusText}`, ''];
  response.headers.forEach((value, name) => lines.push(`${name}: ${value}`));
  ctx.printer.error(`${lines.join('\n')}\n`);
}
