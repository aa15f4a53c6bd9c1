import { describeEachDialect } from '@kiln/testkit';
import { expect, it } from 'vitest';
import { setConfigValue } from '../../maas-config/index.js';
import { startImportScheduler } from '../scheduler/import-scheduler.js';
import { startImportFixture, waitForEvent, waitIdle } from './import-fixture.js';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describeEachDialect('import schedule', (context) => {
  it('imports at start-up only while auto-import is on, then waits for the interval', async () => {
    const fx = await startImportFixture(context.dialect);
    const stop = startImportScheduler(fx.region.region.context, fx.service, {
      tickMs: 20,
      startDelayMs: 0,
    });
    try {
      const db = fx.region.region.db;
      const started = async (): Promise<string[]> =>
        (
          await db
            .selectFrom('events')
            .select('description')
            .where('type', '=', 'Image import started')
            .execute()
        ).map((e) => e.description);
      await pause(200);
      expect(await started()).toEqual([]);
      await setConfigValue(db, 'boot_images_auto_import', 'true');
      await waitForEvent(fx.service, 'Image import started');
      await waitIdle(fx.service);
      expect(await started()).toEqual(['Import of boot resources started (start-up)']);
      // The interval (default 60 minutes) has not passed: ticks keep coming, no new import.
      await pause(300);
      expect(await started()).toHaveLength(1);
    } finally {
      stop();
      await fx.close();
    }
  });
});
