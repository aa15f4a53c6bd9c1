import { describeEachDialect } from '@kiln/testkit';
import { expect, it } from 'vitest';
import { startImportFixture, storeNames, waitIdle } from './import-fixture.js';

const SQUASHFS = '/noble/amd64/20250718/squashfs';
const KERNEL = '/noble/amd64/20250718/ga-24.04/generic/boot-kernel';
const INITRD = '/noble/amd64/20250718/hwe-24.04/generic/boot-initrd';

describeEachDialect('image import through a faulty server', (context) => {
  it('resumes cut transfers with Range, retries 500s, and never publishes a wrong byte', async () => {
    const fx = await startImportFixture(context.dialect);
    try {
      const sha = (path: string): string => fx.stream.files.get(path.slice(1))?.sha256 ?? '';
      fx.server.addFault({ kind: 'cut', path: SQUASHFS, afterBytes: 7000, times: 2 });
      fx.server.addFault({ kind: 'status', path: KERNEL, status: 500, times: 2 });
      fx.server.addFault({ kind: 'wrong-byte', path: INITRD, offset: 100, times: 1 });
      await fx.service.startImport('faults');
      await waitIdle(fx.service);

      const squashfs = fx.server.requestsFor(SQUASHFS);
      expect(squashfs.length).toBe(3);
      expect(squashfs[0]?.range).toBeUndefined();
      expect(squashfs[1]?.range).toBe('bytes=7000-');
      expect(squashfs[2]?.range).toBe('bytes=14000-');
      expect(fx.server.requestsFor(KERNEL).map((r) => r.status)).toEqual([500, 500, 200]);

      const names = await storeNames(fx.service);
      expect(names).toContain(sha(SQUASHFS));
      expect(names).toContain(sha(KERNEL));
      // The corrupted file is neither published nor left as a partial to resume from.
      expect(names.filter((n) => n.startsWith(sha(INITRD)))).toEqual([]);
      const db = fx.region.region.db;
      const events = await db.selectFrom('events').select(['type', 'description']).execute();
      const bad = events.find((e) => e.description.includes(INITRD.slice(1)));
      expect(bad?.type).toBe('Image import error');
      expect(bad?.description).toContain(sha(INITRD));
      expect(bad?.description).toContain(fx.server.url);
      const detail = await db
        .selectFrom('boot_resource_files as f')
        .leftJoin('boot_resource_file_syncs as s', 's.file_id', 'f.id')
        .select(['f.sha256', 's.size'])
        .where('f.sha256', '=', sha(INITRD))
        .execute();
      expect(detail.every((d) => d.size === null)).toBe(true);

      // The next import fetches only what is missing, from a now-healthy server.
      const before = fx.server.requests.length;
      await fx.service.startImport('again');
      await waitIdle(fx.service);
      const fetched = fx.server.requests
        .slice(before)
        .filter((r) => !r.path.startsWith('/streams/'));
      expect(fetched.map((r) => r.path)).toEqual([INITRD]);
      expect(await storeNames(fx.service)).toContain(sha(INITRD));
    } finally {
      await fx.close();
    }
  });
});
