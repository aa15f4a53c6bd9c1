/**
 * A benchmark suite: one file in bench/suites/ whose default export is a BenchSuite. `run.ts`
 * discovers suites by listing that folder, so adding a suite touches nothing else.
 */
export interface BenchSuite<State = unknown> {
  readonly name: string;
  readonly description: string;
  /** Prepares inputs (generated files, servers); not timed. */
  setup(): Promise<State>;
  /** One timed iteration of Kiln's implementation. */
  kiln(state: State): Promise<void>;
  /** The named peer doing comparable work on the same input in the same run. */
  readonly peer?: { readonly name: string; run(state: State): Promise<void> };
  teardown?(state: State): Promise<void>;
  readonly warmup?: number;
  readonly repeats?: number;
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
}
