import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';

/**
 * One dnsmasq child in the foreground. Its log lines (stderr, `log-facility=-`) are forwarded to
 * the rack's logger and the last few kept for error reports. `ready` resolves when dnsmasq says
 * it started (sockets bound); `exited` resolves however it ends.
 */
export interface DnsmasqExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface DnsmasqProcess {
  readonly pid: number | undefined;
  readonly ready: Promise<boolean>;
  readonly exited: Promise<DnsmasqExit>;
  recentOutput(): readonly string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs: number): Promise<DnsmasqExit>;
}

const KEPT_LINES = 20;

export function describeExit(exit: DnsmasqExit): string {
  return exit.signal === null ? `exit code ${exit.code ?? 'unknown'}` : `signal ${exit.signal}`;
}

export function startDnsmasq(
  dnsmasqPath: string,
  confFile: string,
  logger: Logger,
): DnsmasqProcess {
  const child = spawn(dnsmasqPath, ['--keep-in-foreground', `--conf-file=${confFile}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  let markReady: (ready: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((resolve) => {
    markReady = resolve;
  });
  const exited = new Promise<DnsmasqExit>((resolve) => {
    child.once('exit', (code, signal) => {
      markReady(false);
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      recent.push(error.message);
      markReady(false);
      resolve({ code: null, signal: null });
    });
  });
  const onLine = (line: string): void => {
    recent.push(line);
    if (recent.length > KEPT_LINES) recent.shift();
    if (/\bstarted, version\b/.test(line)) markReady(true);
    if (/\b(failed|error|cannot|unknown)\b/i.test(line))
      logger.warn({ line }, 'dnsmasq reported a problem');
    else logger.debug({ line }, 'dnsmasq');
  };
  createInterface({ input: child.stderr }).on('line', onLine);
  createInterface({ input: child.stdout }).on('line', onLine);

  return {
    pid: child.pid,
    ready,
    exited,
    recentOutput: () => [...recent],
    async stop(graceMs) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      }
      return exited;
    },
  };
}

/** `dnsmasq --test`: a syntax check of a config file before it replaces the running one. */
export function checkDnsmasqConfig(
  dnsmasqPath: string,
  confFile: string,
): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(dnsmasqPath, ['--test', `--conf-file=${confFile}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', (error) => resolve({ ok: false, output: error.message }));
    child.once('close', (code) => resolve({ ok: code === 0, output: output.trim() }));
  });
}
