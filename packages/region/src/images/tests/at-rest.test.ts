import { createHash } from 'node:crypto';
import { open, readdir } from 'node:fs/promises';
import { describeEachDialect } from '@kiln/testkit';
import { expect, it, vi } from 'vitest';
import { startImportFixture, waitForEvent, waitIdle } from './import-fixture.js';

const SQUASHFS = 'noble/amd64/20250718/squashfs';
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** The body's sha256, or 'failed' when the region aborted the response mid-body. */
async function bodyHash(url: URL): Promise<string> {
  try {
    const response = await fetch(url);
    if (response.status !== 200) return `status ${response.status}`;
    return sha(Buffer.from(await response.arrayBuffer()));
  } catch {
    return 'failed';
  }
}

// A stored file rotting on the region's disk (a flipped byte, injected from outside) is never
// served: the serve re-hashes a file not verified since start-up, fails its client before the
// last byte, quarantines it, records an event and a notification, and fetches it again upstream.
describeEachDialect('region store: files at rest', (context) => {
  it('does not serve a flipped byte; quarantines, notifies, and repairs from upstream', async () => {
    const fx = await startImportFixture(context.dialect);
    try {
      await fx.service.startImport('test');
      await waitIdle(fx.service);
      const file = fx.stream.files.get(SQUASHFS);
      const sha256 = file?.sha256 ?? '';
      const handle = await open(fx.service.store.pathFor(sha256), 'r+');
      const one = Buffer.alloc(1);
      await handle.read(one, 0, 1, 100);
      one[0] = (one[0] ?? 0) ^ 0x01;
      await handle.write(one, 0, 1, 100);
      await handle.close();

      const url = new URL(`boot-resources/${sha256}/`, fx.region.url);
      // Cut off mid-body, or (a file smaller than one read) refused before the headers went out.
      expect(['failed', 'status 502']).toContain(await bodyHash(url));
      await waitForEvent(fx.service, 'Image file corrupt');
      expect(await readdir(fx.service.store.quarantineDir)).toHaveLength(1);
      const notes = await fx.region.region.db
        .selectFrom('notifications')
        .select('message')
        .execute();
      expect(notes.some((n) => n.message.includes(`${sha256} was corrupt on disk`))).toBe(true);
      // Repaired from the boot source by the import the quarantine started.
      await vi.waitFor(async () => expect(await bodyHash(url)).toBe(sha256), {
        timeout: 60_000,
        interval: 200,
      });
      await waitIdle(fx.service);
      expect(fx.service.metrics.corruptAtRest.get()).toBeDefined();
    } finally {
      await fx.close();
    }
  }, 120_000);
});
