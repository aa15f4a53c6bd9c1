/**
 * For tests that need a tool, a kernel feature or a privilege the machine may lack. `unavailable`
 * says what is missing (null when nothing is). Locally the tests are skipped and the reason is
 * printed; under CI (`CI=true`) a missing requirement throws, so the run fails instead of
 * dropping the tests in silence. Use as `describe.skipIf(skipWithout(reason))(...)`.
 */
export function skipWithout(
  unavailable: string | null,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  if (unavailable === null) return false;
  if (env.CI === 'true') {
    throw new Error(`CI=true and a test requirement is missing: ${unavailable}`);
  }
  console.warn(`Skipping tests: ${unavailable}`);
  return true;
}

/** `why` when `available` is false, else null: the reason form skipWithout takes. */
export function unlessAvailable(available: boolean, why: string): string | null {
  return available ? null : why;
}
