import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface Daemon {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything it printed so far (also written to its log file). */
  output(): string;
  /** Resolves with the first output line matching `pattern`; rejects if the process exits first. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

/**
 * A long-running process inside the lab's namespace (`ip netns exec` execs, so the pid is the
 * program's own), its stdout and stderr copied to a test artefact.
 */
export function startDaemon(
  ns: string,
  name: string,
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; logFile: string; cwd?: string },
): Daemon {
  const child = spawn('ip', ['netns', 'exec', ns, command, ...args], {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(options.logFile);
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    text = (text + chunk.toString('utf8')).slice(-1_000_000);
    for (const w of waiters) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  void exited.then(() => {
    log.end();
    for (const w of waiters) w();
  });
  return {
    name,
    child,
    output: () => text,
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `${name}: no line matching ${String(pattern)} in ${String(timeoutMs / 1000)} s`,
            ),
          );
        }, timeoutMs);
        const check = () => {
          const m = pattern.exec(text);
          if (m !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(m);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(
              new Error(
                `${name} exited (${String(child.exitCode ?? child.signalCode)}): ${text.slice(-2000)}`,
              ),
            );
          }
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
