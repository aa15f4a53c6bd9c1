import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../../..');
const CLI_MAIN = join(REPO, 'packages/cli/src/main.ts');
/** Waits for process start-up are long: four tsx processes on two shared cores take tens of seconds. */
export const START_TIMEOUT_MS = 180_000;

/** A `kiln ...` command running as its own OS process (from the TypeScript sources, through tsx). */
export interface KilnProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it printed so far (stdout and stderr), kept for failure messages. */
  output(): string;
  /** Resolves with the exit code or signal once it has exited. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
}

/**
 * Starts `kiln <args>` and resolves once a stdout line matches `ready` (returning its match), or
 * rejects with the process's output when it exits first or does not get ready in time.
 */
export async function startKiln(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  ready: RegExp,
  logFile: string,
): Promise<{ process: KilnProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  let text = '';
  let done = false;
  const exited = new Promise<string>((resolveExit) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolveExit(signal ?? `exit ${String(code)}`);
    });
  });
  const append = (chunk: Buffer): void => {
    log.write(chunk);
    text += chunk.toString('utf8');
    if (text.length > 200_000) text = text.slice(-100_000);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const kiln: KilnProcess = {
    child,
    pid: child.pid ?? -1,
    output: () => text,
    exited,
    hasExited: () => done,
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const match = ready.exec(text);
    if (match !== null) return { process: kiln, match };
    if (kiln.hasExited())
      throw new Error(
        `kiln ${args.join(' ')} exited (${await exited}) before it was ready:\n${text}`,
      );
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `kiln ${args.join(' ')} was not ready in ${String(START_TIMEOUT_MS / 1000)} s:\n${text}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it is gone. */
export async function stopKiln(kiln: KilnProcess, graceMs = 20_000): Promise<void> {
  if (kiln.hasExited()) return;
  kiln.child.kill('SIGCONT');
  kiln.child.kill('SIGTERM');
  const timer = setTimeout(() => kiln.child.kill('SIGKILL'), graceMs);
  await kiln.exited;
  clearTimeout(timer);
}
