/**
 * Polls `probe` until it returns something other than undefined, then returns it. Ordering in the
 * multi-region tests comes from observed state (API answers, request logs), never from sleeping;
 * the timeout only bounds a hung test, and its message says what never happened and what was
 * last seen.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  options: {
    timeoutMs?: number;
    intervalMs?: number;
    describe?: () => Promise<string> | string;
  } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const seen = options.describe === undefined ? '' : `; last seen: ${await options.describe()}`;
      const failed =
        lastError === undefined
          ? ''
          : `; last probe error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)}`;
      throw new Error(
        `timed out after ${String(timeoutMs / 1000)} s waiting for ${what}${seen}${failed}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}
