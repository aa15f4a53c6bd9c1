import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    kilnTestPgUrl: string;
  }
}

/**
 * The PostgreSQL server URL for tests: KILN_TEST_PG_URL if set (CI), otherwise what the global
 * setup provided after starting the local cluster.
 */
export function testPgUrl(): string {
  const fromEnv = process.env.KILN_TEST_PG_URL;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  let provided: string | undefined;
  try {
    provided = inject('kilnTestPgUrl');
  } catch {
    provided = undefined;
  }
  if (provided === undefined || provided === '') {
    throw new Error(
      'No PostgreSQL for tests: set KILN_TEST_PG_URL=postgres://kiln:kiln@127.0.0.1:5432/postgres or run under vitest with the testkit global setup',
    );
  }
  return provided;
}
