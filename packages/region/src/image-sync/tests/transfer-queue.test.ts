import { describeEachDialect } from '@kiln/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RegionDatabase } from '../../db/index.js';
import { setSyncedSize } from '../../images/store/file-syncs.js';
import { TransferQueue } from '../transfer-queue.js';
import { addImage, makeFile, openMigrated } from './support.js';

describeEachDialect('transfer jobs: claim, lease, fencing, reaper', (context) => {
  let database: RegionDatabase;
  let queue: TransferQueue;
  beforeAll(async () => {
    database = await openMigrated(context.database().url);
    queue = new TransferQueue(database.db, database.dialect, {
      leaseMs: 30_000,
      backoffBaseMs: 10_000,
      backoffMaxMs: 80_000,
      maxAttempts: 3,
    });
  });
  afterAll(async () => {
    await database.close();
  });

  /** Moves a job's times into the past: database time manipulation, no sleeping. */
  const age = async (id: number, ms: number): Promise<void> => {
    await database.db
      .updateTable('transfer_jobs')
      .set((eb) => ({
        lease_expires: eb('lease_expires', '-', ms),
        not_before: eb('not_before', '-', ms),
      }))
      .where('id', '=', id)
      .execute();
  };

  it('plans idempotently: overlapping imports create one active job per file', async () => {
    const file = makeFile(64);
    const wanted = [{ sha256: file.sha256, size: file.size, url: 'http://up/f' }];
    expect(await queue.planUpstream(wanted)).toBe(1);
    expect(await queue.planUpstream(wanted)).toBe(0);
    expect(await queue.planPeer(file.sha256, file.size, 'regb')).toBe(true);
    expect(await queue.planPeer(file.sha256, file.size, 'regb')).toBe(false);
    expect(await queue.planPeer(file.sha256, file.size, 'regc')).toBe(true);
    const rows = await queue.jobsFor([file.sha256]);
    expect(rows.map((r) => `${r.kind}:${r.target_region}`).sort()).toEqual([
      'peer:regb',
      'peer:regc',
      'upstream:',
    ]);
    await database.db.deleteFrom('transfer_jobs').execute();
  });

  it('a zombie writer whose lease was reaped can neither renew nor complete', async () => {
    const file = makeFile(100);
    await addImage(database, file);
    await queue.planUpstream([{ sha256: file.sha256, size: file.size, url: 'http://up/f' }]);
    const first = await queue.claim('rega', { upstream: true });
    expect(first?.token).toBe(1);
    if (first === null) throw new Error('no claim');
    // Nothing else is due: a second region finds no work while the lease is held.
    expect(await queue.claim('regb', { upstream: true })).toBeNull();
    expect(await queue.renew(first, 50)).toBe(true);

    await age(first.id, 31_000);
    expect(await queue.reap()).toBe(1);
    const requeued = (await queue.jobsFor([file.sha256]))[0];
    expect(requeued?.state).toBe('queued');
    expect(requeued?.last_error).toContain('rega');
    // Backoff: not due yet (attempt 1 → 10 s).
    expect((requeued?.not_before ?? 0) - (await queue.now())).toBeGreaterThan(9_000);
    expect(await queue.claim('regb', { upstream: true })).toBeNull();
    await age(first.id, 10_001);

    const second = await queue.claim('regb', { upstream: true });
    if (second === null) throw new Error('no takeover');
    expect(second.token).toBe(2);
    expect(second.attempt).toBe(2);
    // The zombie wakes up: every write it tries is fenced off.
    expect(await queue.renew(first, 100)).toBe(false);
    expect(
      await queue.complete(first, (trx) => setSyncedSize(trx, 'rega', file.sha256, file.size)),
    ).toBe(false);
    expect(await queue.fail(first, 'zombie', true)).toBe('lost');
    const syncs = await database.db.selectFrom('boot_resource_file_syncs').selectAll().execute();
    expect(syncs).toEqual([]);

    expect(
      await queue.complete(second, (trx) => setSyncedSize(trx, 'regb', file.sha256, file.size)),
    ).toBe(true);
    const done = (await queue.jobsFor([file.sha256]))[0];
    expect(done?.state).toBe('done');
    expect(done?.bytes_done).toBe(file.size);
    const held = await database.db
      .selectFrom('boot_resource_file_syncs')
      .select(['region_id', 'size'])
      .execute();
    expect(held).toEqual([{ region_id: 'regb', size: file.size }]);
  });

  it('peer jobs go only to their target; reaper backoff doubles; attempts are capped', async () => {
    const file = makeFile(10);
    await queue.planPeer(file.sha256, file.size, 'regc');
    expect(await queue.claim('regb', { upstream: true })).toBeNull();
    const one = await queue.claim('regc', { upstream: false });
    if (one === null) throw new Error('no claim');
    await age(one.id, 31_000);
    await queue.reap();
    await age(one.id, 10_001);
    const two = await queue.claim('regc', { upstream: false });
    if (two === null) throw new Error('no claim');
    await age(two.id, 31_000);
    await queue.reap();
    const after = (await queue.jobsFor([file.sha256]))[0];
    // Attempt 2 expired: 20 s, twice the first backoff.
    const wait = (after?.not_before ?? 0) - (await queue.now());
    expect(wait).toBeGreaterThan(19_000);
    expect(wait).toBeLessThanOrEqual(20_000);
    await age(two.id, 20_001);
    const three = await queue.claim('regc', { upstream: false });
    if (three === null) throw new Error('no claim');
    expect(await queue.fail(three, 'connection reset', true)).toBe('failed');
    expect((await queue.jobsFor([file.sha256]))[0]?.state).toBe('failed');
  });

  it('a non-retryable failure (ENOSPC, upstream 404) fails at once; retryable ones requeue', async () => {
    const a = makeFile(5);
    const b = makeFile(6);
    await queue.planUpstream([
      { sha256: a.sha256, size: a.size, url: 'http://up/a' },
      { sha256: b.sha256, size: b.size, url: 'http://up/b' },
    ]);
    const ja = await queue.claim('rega', { upstream: true });
    const jb = await queue.claim('rega', { upstream: true });
    if (ja === null || jb === null) throw new Error('no claim');
    expect(await queue.fail(ja, 'HTTP 404', false)).toBe('failed');
    expect(await queue.fail(jb, 'HTTP 503', true)).toBe('requeued');
    const rows = await queue.jobsFor([a.sha256, b.sha256]);
    expect(rows.find((r) => r.sha256 === a.sha256)?.state).toBe('failed');
    expect(rows.find((r) => r.sha256 === b.sha256)?.state).toBe('queued');
    // A later import may plan the failed file again (one new try), never the queued one twice.
    expect(
      await queue.planUpstream([
        { sha256: a.sha256, size: a.size, url: 'http://up/a' },
        { sha256: b.sha256, size: b.size, url: 'http://up/b' },
      ]),
    ).toBe(1);
  });
});
