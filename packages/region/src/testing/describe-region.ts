import { DIALECTS } from '@kiln/testkit';
import { afterAll, beforeAll, describe } from 'vitest';
import {
  startTestRegion,
  type StartTestRegionOptions,
  type TestRegion,
} from './start-test-region.js';

/**
 * Declares a suite once per dialect (`[sqlite] title`, `[postgres] title`), each with its own
 * running test region; `region()` returns it inside tests and hooks.
 */
export function describeRegion(
  title: string,
  body: (region: () => TestRegion) => void,
  options: Omit<StartTestRegionOptions, 'dialect'> = {},
): void {
  for (const dialect of DIALECTS) {
    describe(`[${dialect}] ${title}`, () => {
      let running: TestRegion | undefined;
      beforeAll(async () => {
        running = await startTestRegion({ ...options, dialect });
      });
      afterAll(async () => {
        await running?.close();
      });
      body(() => {
        if (running === undefined)
          throw new Error('the test region is only available inside tests and hooks');
        return running;
      });
    });
  }
}
