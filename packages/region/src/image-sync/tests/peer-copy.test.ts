import { open, readFile } from 'node:fs/promises';
import { describeEachDialect } from '@kiln/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RegionDatabase } from '../../db/index.js';
import { addImage, makeFile, openMigrated, TestPeer } from './support.js';

describeEachDialect('two regions copy files from each other', (context) => {
  let database: RegionDatabase;
  let a: TestPeer;
  let b: TestPeer;
  beforeAll(async () => {
    database = await openMigrated(context.database().url);
    a = await TestPeer.start('rega', database, { pollMs: 100 });
    b = await TestPeer.start('regb', database, { pollMs: 100 });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await database.close();
  });

  const want = (file: { sha256: string; size: number }) => [
    { sha256: file.sha256, size: file.size, url: 'http://127.0.0.1:9/unused' },
  ];

  it('copies a file A holds to B over signed HTTP, verified, resuming a partial with Range', async () => {
    const file = makeFile(300_000);
    await addImage(database, file);
    await a.hold(file);
    await b.store.ensure();
    const partial = await open(b.store.partialPath(file.sha256), 'w');
    await partial.write(file.bytes.subarray(0, 100_000));
    await partial.close();
    const result = await b.sync.awaitLocal(
      want(file),
      new AbortController().signal,
      () => undefined,
    );
    expect(result.failed.size).toBe(0);
    expect((await readFile(b.store.pathFor(file.sha256))).equals(file.bytes)).toBe(true);
    expect(a.ranges).toContain('bytes=100000-');
    // A later pass may already have planned another job for the same file (claimed, it finds the
    // file in place and completes without a transfer): the copy is the job that is done.
    const jobs = await b.sync.queue.jobsFor([file.sha256]);
    const job = jobs.find((j) => j.state === 'done');
    expect(job, JSON.stringify(jobs)).toBeDefined();
    expect(job?.source_region).toBe('rega');
  });

  it('rejects wrong bytes from a peer: nothing published, the job is retried', async () => {
    const file = makeFile(50_000);
    await addImage(database, file);
    const wrong = Buffer.from(file.bytes);
    wrong[123] = (wrong[123] ?? 0) ^ 0xff;
    await a.hold(file, wrong);
    await b.sync.tick();
    await b.sync.changed(2000);
    const jobs = await b.sync.queue.jobsFor([file.sha256]);
    expect(jobs[0]?.last_error ?? '').toMatch(/sha256/);
    expect(await b.store.storedSize(file.sha256)).toBeNull();
  });

  it('refuses unsigned requests to the peer route', async () => {
    const file = makeFile(10);
    await addImage(database, file);
    await a.hold(file);
    const address = a.app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const response = await fetch(`http://127.0.0.1:${port}/MAAS/region-peer/files/${file.sha256}`);
    expect(response.status).toBe(401);
  });
});
