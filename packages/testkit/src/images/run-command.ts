import { spawn } from 'node:child_process';
import { AppError } from '@kiln/node-kit';
import type { Logger } from 'pino';

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger | undefined;
  /** Keep stdout (for commands whose answer we parse); otherwise only a tail is kept for errors. */
  readonly captureStdout?: boolean;
}

const TAIL_BYTES = 4096;

/**
 * Runs one external build tool (apt-get, mmdebstrap, cpio, tar...). Build tools are chatty, so
 * only the last few KiB of stderr are kept: enough to name the failure without holding a whole
 * mmdebstrap log in memory.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<string> {
  options.logger?.debug({ command, args }, 'run');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (options.captureStdout === true) out.push(chunk);
      else tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    });
    child.on('error', (error) => {
      reject(
        new AppError('IMAGE_BUILD_TOOL_MISSING', `Cannot run ${command}: ${error.message}`, {
          cause: error,
        }),
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve(Buffer.concat(out).toString('utf8'));
        return;
      }
      reject(
        new AppError(
          'IMAGE_BUILD_COMMAND_FAILED',
          `${command} ${args.slice(0, 3).join(' ')}... exited with ${signal ?? String(code)}: ${tail.trim().split('\n').slice(-12).join('\n')}`,
          { details: { command, args } },
        ),
      );
    });
  });
}

/** `sh -c` for pipelines (cpio | gzip); the script text is ours, never outside input. */
export function runShell(script: string, options: RunOptions = {}): Promise<string> {
  return runCommand('sh', ['-ec', script], options);
}
