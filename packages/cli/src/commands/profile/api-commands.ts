import type { Command } from 'commander';
import {
  buildGrammar,
  documentsParams,
  parseDocstring,
  type GrammarAction,
  type GrammarResource,
} from '../../client/index.js';
import type { Profile } from '../../profiles/index.js';
import type { CliContext } from './context.js';
import { runApiAction } from './run-action.js';

const KEYWORD_ARGS_HELP =
  'This method accepts keyword arguments. Pass each argument as a key-value pair with an equals ' +
  'sign between the key and the value: key1=value1 key2=value key3=value3. Keyword arguments ' +
  'must come after any positional arguments. Use key@=FILE to send the content of a file.';

const PROFILE_HELP =
  'The commands of this profile come from the region API description stored at login. If the ' +
  "API may have changed, run 'kiln refresh' to fetch it again.";

function registerAction(
  resourceCommand: Command,
  ctx: CliContext,
  profile: Profile,
  target: GrammarAction,
): void {
  const { title, body } = parseDocstring(target.action.doc);
  const command = resourceCommand.command(target.command).summary(title).description(title);
  for (const param of target.handler.params) command.argument(`<${param}>`);
  command.argument('[data...]', 'key=value or key@=FILE parameters');
  command.option('-d, --debug', 'Display more information about API responses.');
  const epilog = [documentsParams(target.action) ? KEYWORD_ARGS_HELP : '', body]
    .filter((part) => part.length > 0)
    .join('\n\n');
  if (epilog.length > 0) command.addHelpText('after', `\n${epilog}\n`);
  command.action(async (...args: unknown[]) => {
    const self = args.at(-1) as Command;
    const processed = self.processedArgs as unknown[];
    const positional = processed.slice(0, target.handler.params.length).map(String);
    const data = (processed.at(-1) as string[] | undefined) ?? [];
    const debug = self.opts<{ debug?: boolean }>().debug ?? false;
    await runApiAction(ctx, profile, target, { positional, data, debug });
  });
}

function registerResource(
  profileCommand: Command,
  ctx: CliContext,
  profile: Profile,
  resource: GrammarResource,
): void {
  const { title, body } = parseDocstring(resource.handler.doc);
  const command = profileCommand.command(resource.command).summary(title).description(title);
  if (body.length > 0) command.addHelpText('after', `\n${body}\n`);
  for (const action of resource.actions) registerAction(command, ctx, profile, action);
}

/**
 * One command per profile. Only the profile being invoked gets its resource tree built: a
 * full MAAS description has hundreds of actions and the other profiles only need a help line.
 */
export function registerProfileApiCommands(
  program: Command,
  ctx: CliContext,
  profiles: readonly Profile[],
  invoked: string | undefined,
): void {
  const taken = new Set(program.commands.map((command) => command.name()));
  for (const profile of profiles) {
    if (taken.has(profile.name)) {
      ctx.printer.warning(
        `Profile '${profile.name}' is hidden by the kiln command of the same name.`,
      );
      continue;
    }
    const command = program
      .command(profile.name)
      .summary(`Interact with ${profile.url}`)
      .description(`Issue commands to the region at ${profile.url}.`)
      .addHelpText('after', `\n${PROFILE_HELP}\n`);
    if (profile.name !== invoked) continue;
    for (const resource of buildGrammar(profile.description, profile.credentials === null)) {
      registerResource(command, ctx, profile, resource);
    }
  }
}
