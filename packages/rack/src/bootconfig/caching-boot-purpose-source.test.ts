import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { BootAnswer, BootRequest } from '@kiln/protocol';
import type { BootPurposeSource } from './boot-purpose-source.js';
import { createCachingBootPurposeSource } from './caching-boot-purpose-source.js';
import { MAC, ephemeralAnswer, localAnswer } from './fixtures.test-support.js';

function request(overrides: Partial<BootRequest> = {}): BootRequest {
  return {
    mac: MAC,
    arch: null,
    subarch: null,
    uuid: null,
    rack_address: '10.0.0.2',
    rack_http_port: 5248,
    remote_address: '10.0.0.50',
    protocol: 'tftp',
    loader: 'pxelinux',
    ...overrides,
  };
}

/** A region stand-in whose answer the test changes, counting calls and releasing them on demand. */
function fakeRegion(initial: BootAnswer | null) {
  let answer: unknown = initial;
  const pending: (() => void)[] = [];
  let calls = 0;
  let hold = false;
  const source: BootPurposeSource = {
    lookup() {
      calls += 1;
      const snapshot = answer;
      if (!hold) return Promise.resolve(snapshot as BootAnswer | null);
      return new Promise((resolve) => pending.push(() => resolve(snapshot as BootAnswer | null)));
    },
  };
  return {
    source,
    set(next: unknown) {
      answer = next;
    },
    hold() {
      hold = true;
    },
    release() {
      hold = false;
      for (const resolve of pending.splice(0)) resolve();
    },
    get calls() {
      return calls;
    },
  };
}

describe('createCachingBootPurposeSource', () => {
  it('answers repeated requests from the cache until the TTL passes', async () => {
    let clock = 1_000;
    const region = fakeRegion(ephemeralAnswer());
    const cache = createCachingBootPurposeSource(region.source, { ttlMs: 5_000, now: () => clock });
    await cache.lookup(request());
    await cache.lookup(request());
    expect(region.calls).toBe(1);
    clock += 4_999;
    await cache.lookup(request());
    expect(region.calls).toBe(1);
    clock += 1;
    await cache.lookup(request());
    expect(region.calls).toBe(2);
  });

  it('keys on the whole request, not only the MAC', async () => {
    const region = fakeRegion(ephemeralAnswer());
    const cache = createCachingBootPurposeSource(region.source);
    await cache.lookup(request());
    await cache.lookup(request({ loader: 'grub' }));
    await cache.lookup(request({ rack_address: '10.0.1.2' }));
    expect(region.calls).toBe(3);
    expect(cache.size).toBe(3);
  });

  it('shares one region call between concurrent identical lookups, and counts how answers came', async () => {
    const region = fakeRegion(ephemeralAnswer());
    const registry = new Registry();
    const cache = createCachingBootPurposeSource(region.source, { metricsRegistry: registry });
    region.hold();
    const lookups = Array.from({ length: 50 }, () => cache.lookup(request()));
    region.release();
    const answers = await Promise.all(lookups);
    expect(region.calls).toBe(1);
    expect(new Set(answers).size).toBe(1);
    await cache.lookup(request());
    const metrics = await registry.getMetricsAsJSON();
    const counts = metrics.find((metric) => metric.name === 'kiln_rack_boot_answers_total');
    const byVia = Object.fromEntries(
      (counts?.values ?? []).map((value) => [String(value.labels.via), value.value]),
    );
    expect(byVia).toEqual({ region: 1, shared: 49, cache: 1 });
  });

  it('never serves an answer across invalidate(mac)', async () => {
    const region = fakeRegion(ephemeralAnswer());
    const cache = createCachingBootPurposeSource(region.source);
    expect((await cache.lookup(request()))?.purpose).toBe('commissioning');
    region.set(localAnswer('local'));
    cache.invalidate({ mac: MAC });
    expect((await cache.lookup(request()))?.purpose).toBe('local');
  });

  it('drops answers by system_id and by UUID', async () => {
    const region = fakeRegion(ephemeralAnswer());
    const cache = createCachingBootPurposeSource(region.source);
    const byUuid = request({ mac: null, uuid: '564d1a2b-0c3d-4e5f-8a9b-0c1d2e3f4a5b' });
    await cache.lookup(request());
    await cache.lookup(byUuid);
    cache.invalidate({ systemId: 'abc123' });
    expect(cache.size).toBe(0);
    await cache.lookup(byUuid);
    cache.invalidate({ uuid: '564d1a2b-0c3d-4e5f-8a9b-0c1d2e3f4a5b' });
    expect(cache.size).toBe(0);
  });

  it('does not cache or share a lookup that was in flight when the state changed', async () => {
    const region = fakeRegion(ephemeralAnswer());
    const cache = createCachingBootPurposeSource(region.source);
    region.hold();
    const before = cache.lookup(request());
    region.set(localAnswer('poweroff'));
    cache.invalidate({ mac: MAC });
    const after = cache.lookup(request());
    region.release();
    expect((await before)?.purpose).toBe('commissioning');
    expect((await after)?.purpose).toBe('poweroff');
    expect(region.calls).toBe(2);
    expect((await cache.lookup(request()))?.purpose).toBe('poweroff');
    expect(region.calls).toBe(2);
  });

  it('drops everything when the region state version changes', async () => {
    const region = fakeRegion(ephemeralAnswer());
    const cache = createCachingBootPurposeSource(region.source);
    cache.noteVersion(7);
    await cache.lookup(request());
    cache.noteVersion(7);
    expect(cache.size).toBe(1);
    cache.noteVersion(8);
    expect(cache.size).toBe(0);
  });

  it('caches "no answer" too, and evicts the oldest entries beyond maxEntries', async () => {
    const region = fakeRegion(null);
    const cache = createCachingBootPurposeSource(region.source, { maxEntries: 2 });
    expect(await cache.lookup(request())).toBeNull();
    expect(await cache.lookup(request())).toBeNull();
    expect(region.calls).toBe(1);
    await cache.lookup(request({ mac: '52:54:00:00:00:01' }));
    await cache.lookup(request({ mac: '52:54:00:00:00:02' }));
    expect(cache.size).toBe(2);
    await cache.lookup(request());
    expect(region.calls).toBe(4);
  });

  it('rejects an invalid region answer with BOOT_ANSWER_INVALID and does not cache it', async () => {
    const region = fakeRegion(null);
    region.set({ ...ephemeralAnswer(), kernel_opts: 'quiet\nboot evil' });
    const cache = createCachingBootPurposeSource(region.source);
    await expect(cache.lookup(request())).rejects.toMatchObject({
      code: 'BOOT_ANSWER_INVALID',
      status: 502,
    });
    expect(cache.size).toBe(0);
  });

  it('does not cache region failures', async () => {
    let fail = true;
    const cache = createCachingBootPurposeSource({
      lookup: () =>
        fail ? Promise.reject(new Error('region down')) : Promise.resolve(ephemeralAnswer()),
    });
    await expect(cache.lookup(request())).rejects.toThrow('region down');
    fail = false;
    expect((await cache.lookup(request()))?.purpose).toBe('commissioning');
  });
});
