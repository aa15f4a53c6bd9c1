export interface BootStormOptions {
  /** The rack (or reference server) the machines boot from: `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** Default 500. */
  readonly machines?: number;
  /** Machines booting at once; default all of them (a true storm). */
  readonly concurrency?: number;
  /** A transfer with no bytes for this long fails; default 60 s. */
  readonly timeoutMs?: number;
  /** Fetch the boot config over TFTP from this UDP port instead of HTTP. */
  readonly tftpPort?: number;
  /** Hash every image file and compare it with the sha256 in its URL; default true. */
  readonly verify?: boolean;
  /** Distinguishes the MACs of successive storms (one byte of the MAC); default 0. */
  readonly macSeed?: number;
  /** The whole storm is abandoned (remaining machines fail) after this long; default 30 min. */
  readonly deadlineMs?: number;
}

export type BootStep = 'config' | 'kernel' | 'initrd' | 'root' | 'metadata';

export interface MachineResult {
  readonly mac: string;
  readonly ok: boolean;
  /** From the first request to the metadata answer. */
  readonly ms: number;
  readonly bytes: number;
  /** The step that failed and why. */
  readonly error?: { readonly step: BootStep; readonly message: string };
  /** The image files fetched, by URL path, with their sha256 (when verified). */
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
}

export interface BootStormReport {
  readonly machines: number;
  readonly completed: number;
  readonly failed: number;
  /** Wall time of the whole storm. */
  readonly totalMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly bytes: number;
  /** The first few failures, for the log. */
  readonly errors: readonly {
    readonly mac: string;
    readonly step: BootStep;
    readonly message: string;
  }[];
  /** Distinct image files the machines fetched (URL path → bytes). */
  readonly files: Readonly<Record<string, number>>;
}
