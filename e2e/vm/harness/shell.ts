import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs a tool and returns stdout; the error names the command and carries its stderr. */
export async function sh(command: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.stderr?.trim() ?? e.message}`, {
      cause: error,
    });
  }
}

/** `ip netns exec <ns> ...`: the namespace's own loopback and bridge, the host's file system. */
export function inNs(ns: string, command: string, args: readonly string[]): Promise<string> {
  return sh('ip', ['netns', 'exec', ns, command, ...args]);
}

/** Cleanup must also work from a signal handler, where nothing asynchronous runs to completion. */
export function shSync(command: string, args: readonly string[]): void {
  spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Thrown by a probe to stop waiting at once (a state that can never become the wanted one). */
export class WaitAborted extends Error {}

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 2000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof WaitAborted) throw error;
      last = error;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${String(timeoutMs / 1000)} s waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

/** For state a `beforeAll` sets up: fails the test with a clear message when set-up did not run. */
export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} was not set up (see the beforeAll error)`);
  return value;
}
