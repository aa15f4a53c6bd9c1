import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { fileSource } from './sources.js';
import { fetchFile } from './test-client.js';
import { eventually, payload, startTestServer, type TestServer } from './test-fixtures.js';

const run = promisify(execFile);

/** Many machines booting at once: concurrent transfers must not block or corrupt each other. */
describe('TFTP under a boot storm', () => {
  let running: TestServer | undefined;
  afterEach(async () => {
    await running?.server.close();
    running = undefined;
  });

  it('serves 200 concurrent clients with mixed options and some packet loss, all byte-identical', async () => {
    const kernel = payload(64 * 1024 + 17);
    running = await startTestServer({ kernel }, { timeoutMs: 100 });
    const port = running.port;
    const clients = Array.from({ length: 200 }, (_, i) => {
      const options: [string, string][] = [
        ['blksize', ['512', '1428', '1468', '8192'][i % 4]!],
        ['windowsize', ['1', '4', '16', '64'][(i >> 2) % 4]!],
        ['tsize', '0'],
      ];
      const lossy = i % 10 === 0;
      return fetchFile(port, 'kernel', {
        options,
        faults: lossy ? { dropData: (block, attempt) => block % 37 === 0 && attempt === 1 } : {},
      });
    });
    const results = await Promise.all(clients);
    for (const result of results) expect(result.data.equals(kernel)).toBe(true);
    await eventually(() => running!.server.stats().transfers.completed === 200);
    expect(running.server.stats().activeTransfers).toBe(0);
  });

  it('serves 16 concurrent atftp processes from files on disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-tftp-storm-'));
    try {
      const data = payload(2 * 1024 * 1024 + 3);
      await writeFile(join(dir, 'initrd'), data);
      running = await startTestServer({}, { resolve: () => fileSource(join(dir, 'initrd')) });
      const port = String(running.port);
      await Promise.all(
        Array.from({ length: 16 }, async (_, i) => {
          const out = join(dir, `out-${i}`);
          const options =
            i % 2 === 0 ? ['--option', 'blksize 1468', '--option', 'windowsize 16'] : [];
          await run('atftp', [...options, '-g', '-r', 'initrd', '-l', out, '127.0.0.1', port]);
          expect((await readFile(out)).equals(data)).toBe(true);
        }),
      );
      await eventually(() => running!.server.stats().transfers.completed === 16);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
