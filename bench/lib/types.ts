/**
 * A benchmark suite: a file in bench/suites/ exports one or more BenchSuites (the default
 * export, named exports, or arrays of them). `run.ts` discovers suites by listing that folder, so
 * adding a suite touches nothing else.
 */
export interface BenchSuite<State = unknown> {
  readonly name: string;
  readonly description: string;
  /** Prepares inputs (generated files, servers); not timed. */
  setup(): Promise<State>;
  /**
   * One timed iteration of Kiln's implementation. Returning a number reports that many
   * milliseconds instead of the call's wall time (for iterations that must restart a server
   * before the part that is measured, such as a cold-cache boot storm).
   */
  kiln(state: State): Promise<unknown>;
  /** The named peer doing comparable work on the same input in the same run. */
  readonly peer?: { readonly name: string; run(state: State): Promise<unknown> };
  /** Extra figures for the JSON (percentiles, memory peaks, request counts); read before teardown. */
  details?(state: State): Record<string, unknown>;
  teardown?(state: State): Promise<void>;
  readonly warmup?: number;
  readonly repeats?: number;
  /** Debian packages the peer side needs, as `{ binary: package }`; installed if missing. */
  readonly debianPackages?: Readonly<Record<string, string>>;
}

export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Median absolute deviation, a spread measure that ignores one-off outliers. */
  readonly mad: number;
  readonly samples: number;
}

export interface SuiteResult {
  readonly name: string;
  readonly description: string;
  readonly units: 'ms';
  readonly kiln: Stats;
  readonly peer?: { readonly name: string } & Stats;
  /** kiln median / peer median: below 1 means Kiln is faster. */
  readonly ratio?: number;
  readonly details?: Record<string, unknown>;
}
