import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isAppError } from '@kiln/node-kit';
import {
  registerApiCommands,
  registerProfileCommands,
  type CliContext,
} from './commands/profile/index.js';
import { registerServerCommands } from './commands/server/index.js';
import { registerStreamCommands } from './commands/stream/index.js';
import { registerImagesCommands } from './commands/images/index.js';
import { registerRackCommands } from './commands/rack/index.js';
import { registerMigrateCommands } from './commands/migrate/index.js';
import { createPrinter, processIo, type CliIo } from './output/index.js';
import { ProfileStore, profilesFilePath, type Profile } from './profiles/index.js';

function packageVersion(): string {
  // src/ and dist/ both sit one level below the package root.
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  const parsed = JSON.parse(text) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
}

/** Builds the `kiln` program: fixed commands first, then one command per stored profile. */
export function buildProgram(ctx: CliContext): { program: Command; builtins: ReadonlySet<string> } {
  const program = new Command('kiln')
    .description('Kiln: bare-metal provisioning that speaks the MAAS API.')
    .version(packageVersion(), '-V, --version', 'print the kiln version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
    });
  const builtins = new Set<string>(['help']);
  registerProfileCommands(program, ctx, () => builtins);
  registerServerCommands(program);
  registerStreamCommands(program);
  registerImagesCommands(program, ctx.io);
  registerRackCommands(program);
  registerMigrateCommands(program, ctx.io);
  for (const command of program.commands) builtins.add(command.name());
  // Sub-commands inherit exitOverride/output settings only when set before they are created,
  // so re-apply them to whatever the register functions added.
  for (const command of program.commands) inheritSettings(command, program);
  return { program, builtins };
}

function inheritSettings(command: Command, root: Command): void {
  command.exitOverride().configureOutput(root.configureOutput());
  for (const child of command.commands) inheritSettings(child, root);
}

async function loadProfiles(ctx: CliContext): Promise<Profile[]> {
  const file = await ctx.store.load();
  return Object.keys(file.profiles)
    .sort()
    .flatMap((name) => {
      const profile = file.profiles[name];
      return profile === undefined ? [] : [profile];
    });
}

/** A broken profiles file must not hide `--help` and the other commands: report and go on. */
async function loadProfilesOrReport(ctx: CliContext): Promise<Profile[]> {
  try {
    return await loadProfiles(ctx);
  } catch (error) {
    if (!isAppError(error)) throw error;
    ctx.printer.error(`Error: ${error.message}`);
    ctx.exitCode = 1;
    return [];
  }
}

/**
 * Runs the `kiln` command with `argv` as in `process.argv` (node, script, args...) and resolves
 * to the exit code; it never calls process.exit, so tests can run it in-process with their
 * own streams and environment.
 */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const printer = createPrinter(io);
  const ctx: CliContext = {
    io,
    printer,
    store: new ProfileStore(profilesFilePath(io.env)),
    exitCode: 0,
  };
  try {
    const { program, builtins } = buildProgram(ctx);
    const first = argv[2];
    if (first === undefined || !builtins.has(first)) {
      registerApiCommands(program, ctx, await loadProfilesOrReport(ctx), first);
      for (const command of program.commands) inheritSettings(command, program);
    }
    await program.parseAsync(argv, { from: 'node' });
    return ctx.exitCode;
  } catch (error) {
    return reportError(ctx, error);
  }
}

function reportError(ctx: CliContext, error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (isAppError(error)) {
    ctx.printer.error(`Error: ${error.message}`);
    return 1;
  }
  ctx.printer.error(
    `Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return 1;
}
