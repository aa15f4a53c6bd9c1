import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startKiln, stopKiln, type KilnProcess } from './kiln-process.js';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

export interface RegionSpec {
  /** Short name used in messages and file names (`r1`, `r2`, ...). */
  readonly name: string;
  readonly dataDir: string;
  readonly databaseUrl: string;
  /** Settings every start of this region gets (KILN_*). */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * One `kiln region` process with its own data directory and a port that stays the same across
 * restarts (the rack and the peers keep its URL). kill -9, SIGSTOP and SIGCONT act on the real
 * process.
 */
export class RegionProcess {
  readonly name: string;
  readonly dataDir: string;
  port = 0;
  /** The admin API key printed by the first region start of the cluster ('' for later regions). */
  printedApiKey = '';
  private current: KilnProcess | undefined;
  private starts = 0;

  constructor(private readonly spec: RegionSpec) {
    this.name = spec.name;
    this.dataDir = spec.dataDir;
  }

  get url(): string {
    return `http://127.0.0.1:${String(this.port)}/MAAS/`;
  }

  get pid(): number {
    if (this.current === undefined) throw new Error(`region ${this.name} is not running`);
    return this.current.pid;
  }

  get running(): boolean {
    return this.current !== undefined && !this.current.hasExited();
  }

  /** The region's own system_id (its data directory's `region_id`, written at first start). */
  systemId = '';

  output(): string {
    return this.current?.output() ?? '';
  }

  /** Starts (or restarts) the process and resolves once it listens. */
  async start(extraEnv: Readonly<Record<string, string>> = {}): Promise<void> {
    if (this.running) throw new Error(`region ${this.name} is already running`);
    if (this.port === 0) this.port = await freePort();
    await mkdir(this.dataDir, { recursive: true });
    this.starts += 1;
    const started = await startKiln(
      ['region'],
      {
        KILN_DATA_DIR: this.dataDir,
        KILN_DATABASE_URL: this.spec.databaseUrl,
        KILN_LISTEN_ADDRESS: '127.0.0.1',
        KILN_REGION_PORT: String(this.port),
        KILN_LOG_LEVEL: process.env.KILN_TEST_LOG ?? 'info',
        ...this.spec.env,
        ...extraEnv,
      },
      /is running at (\S+)/,
      join(this.dataDir, '..', `${this.name}.log`),
    );
    this.current = started.process;
    // The first start of a cluster prints the new administrator's key right after the URL.
    if (started.process.output().includes('Created administrator')) {
      const key = await waitFor(
        'the printed API key',
        () => /API key \(shown once\): (\S+)/.exec(started.process.output())?.[1],
      );
      this.printedApiKey = key;
    }
    this.systemId = (await readFile(join(this.dataDir, 'region_id'), 'utf8')).trim();
  }

  /** kill -9: no shutdown code runs, partial files and leases stay as they were. */
  async kill9(): Promise<void> {
    const running = this.current;
    if (running === undefined || running.hasExited()) return;
    running.child.kill('SIGKILL');
    await running.exited;
  }

  /** SIGSTOP: the process keeps its sockets and leases but runs no code (a zombie-to-be). */
  pause(): void {
    if (!this.running) throw new Error(`region ${this.name} is not running`);
    this.current?.child.kill('SIGSTOP');
  }

  resume(): void {
    this.current?.child.kill('SIGCONT');
  }

  /** Orderly stop (SIGTERM). */
  async stop(): Promise<void> {
    if (this.current !== undefined) await stopKiln(this.current);
  }
}
