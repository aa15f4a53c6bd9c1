import type { Command } from 'commander';
import type { CliIo } from '../../output/index.js';
import { registerBuildAndSign } from './build-command.js';
import { registerKeygen } from './keygen-command.js';
import { registerMirror } from './mirror-command.js';
import { registerVerifyAndQuery } from './read-commands.js';
import { streamIo } from './stream-io.js';

/**
 * Registers `kiln stream keygen|build|sign|verify|query|mirror`, thin wrappers over
 * @kiln/simplestreams. Results go to stdout, progress and warnings to stderr; errors are thrown
 * and reported (exit 1) by the program.
 */
export function registerStreamCommands(program: Command, io?: CliIo): void {
  const out = streamIo(io);
  const stream = program
    .command('stream')
    .description('build, sign, verify, query and mirror simplestreams');
  registerKeygen(stream, out);
  registerBuildAndSign(stream, out);
  registerVerifyAndQuery(stream, out);
  registerMirror(stream, out);
}
