import { expect, it } from 'vitest';
import { apiFetch, describeRegion } from '../../testing/index.js';

interface Action {
  readonly method: string;
  readonly op: string | null;
  readonly doc: string;
}
interface Handler {
  readonly path: string;
  readonly params: string[];
  readonly actions: Action[];
}

/** mulberry32: a tiny seeded PRNG, so a failure names a seed that replays it exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A lone surrogate cannot be percent-encoded; the form bodies still carry it as given. */
const wellFormed = (text: string): string => text.replace(/[\ud800-\udfff]/g, '\ufffd');

const SEED = Number(process.env.KILN_FUZZ_SEED ?? 20261207);
const PER_ACTION = 3;

const NASTY = [
  '',
  ' ',
  '0',
  '-1',
  '2147483648',
  '99999999999999999999999',
  '1e309',
  'NaN',
  'true',
  'null',
  '[]',
  '{}',
  '../../etc/passwd',
  '%00',
  '\u0000',
  'ünïcødé-名前-🚀',
  '\ud800',
  "'; DROP TABLE zones; --",
  '00:11:22:33:44:55',
  '10.0.0.0/8',
  'a'.repeat(300),
  'x'.repeat(70_000),
];

/**
 * Bounded, seeded fuzzing of every action the `describe/` document lists: wrong types, huge and
 * unicode strings, missing and repeated fields, bad multipart and unknown ops, as the admin.
 * Whatever arrives, the region must answer below 500 and promptly.
 */
describeRegion('fuzzing every described action', (region) => {
  it(`answers every fuzzed request below 500 (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const { handlers } = (await (await apiFetch(region().url, 'describe/')).json()) as {
      handlers: Handler[];
    };
    const failures: string[] = [];
    let requests = 0;
    const send = async (method: string, path: string, body?: string, type?: string) => {
      requests += 1;
      const headers: Record<string, string> = {};
      if (type !== undefined) headers['content-type'] = type;
      const response = await apiFetch(region().url, path, {
        method,
        headers,
        apiKey: region().adminApiKey,
        signal: AbortSignal.timeout(10_000),
        ...(body === undefined ? {} : { body }),
      }).catch((error: unknown) => {
        failures.push(`${method} ${path}: no answer (${String(error)})`);
        return undefined;
      });
      if (response === undefined) return;
      const text = await response.text();
      if (response.status >= 500)
        failures.push(`${method} ${path} → ${response.status} ${text.slice(0, 200)}`);
    };
    for (const handler of handlers) {
      for (const action of handler.actions) {
        // Destructive actions on the fuzzer's own account would end the run, not find bugs.
        if (handler.path.includes('users/') && action.method === 'DELETE') continue;
        const fields = [...action.doc.matchAll(/:param (\S+):/g)].map((m) => m[1] ?? '');
        for (let round = 0; round < PER_ACTION; round++) {
          let path = handler.path.replace('/MAAS/api/2.0/', '');
          for (const param of handler.params)
            path = path.replace(
              `{${param}}`,
              encodeURIComponent(wellFormed(pick(['1', 'admin', 'default', pick(NASTY)]))),
            );
          const op =
            round === 2 && random() < 0.3 ? `nope-${Math.floor(random() * 1000)}` : action.op;
          const form = new URLSearchParams();
          for (const field of fields) {
            if (random() < 0.25) continue; // missing
            form.append(field, pick(NASTY));
            if (random() < 0.2) form.append(field, pick(NASTY)); // repeated
          }
          if (random() < 0.2) form.append(pick(['junk', 'op', 'id', 'name']), pick(NASTY));
          const query = op === null ? '' : `op=${encodeURIComponent(op)}`;
          if (action.method === 'GET' || action.method === 'DELETE') {
            const extra = form.toString();
            const search = [query, extra].filter((p) => p !== '').join('&');
            await send(action.method, search === '' ? path : `${path}?${search}`);
          } else if (round === 1 && random() < 0.5) {
            // Bad multipart: a boundary that never closes, or none at all.
            await send(
              action.method,
              query === '' ? path : `${path}?${query}`,
              `--b\r\nContent-Disposition: form-data; name="${pick(fields.length > 0 ? fields : ['x'])}"\r\n\r\n${pick(NASTY)}`,
              pick(['multipart/form-data; boundary=b', 'multipart/form-data']),
            );
          } else {
            if (op !== null) form.set('op', op);
            await send(action.method, path, form.toString(), 'application/x-www-form-urlencoded');
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  }, 120_000);
});
