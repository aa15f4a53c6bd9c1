import type { CliIo, Printer } from '../../output/index.js';
import type { ProfileStore } from '../../profiles/index.js';

/** What every profile command needs; created once per `runCli` call. */
export interface CliContext {
  readonly io: CliIo;
  readonly printer: Printer;
  readonly store: ProfileStore;
  /** The process exit code the run ends with unless an error is thrown. */
  exitCode: number;
}

/** The MAAS CLI's code for "the server answered, but not with 2xx". */
export const EXIT_HTTP_FAILURE = 2;
