// Image import throughput: the region importing a generated signed stream served by nginx on
// loopback (read + verify the stream, download every file with sha256 checked while streaming,
// fsync, rename, record) against `curl -o` followed by `sha256sum` of the same files.
//   npm run bench -- import                         1 GiB of image files
//   KILN_BENCH_IMPORT_MB=64 npm run bench -- import a quick run
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@kiln/node-kit';
import { startRegion, type ImageService, type RunningRegion } from '@kiln/region';
import { writeSignedStream, type BenchFile } from '../lib/generated-stream.js';
import { startNginx, type NginxProcess } from '../lib/nginx.js';
import type { BenchSuite } from '../lib/types.js';

const run = promisify(execFile);

interface State {
  readonly work: string;
  readonly url: string;
  readonly files: readonly BenchFile[];
  readonly nginx: NginxProcess;
  readonly region: RunningRegion;
  readonly service: ImageService;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitIdle(service: ImageService): Promise<void> {
  for (let running = service.running; running !== null; running = service.running) await running;
}

const suite: BenchSuite<State> = {
  name: 'import',
  description:
    'region image import of a generated signed stream (5 files) from nginx on loopback vs curl -o + sha256sum',
  warmup: 1,
  repeats: 5,
  debianPackages: { nginx: 'nginx', curl: 'curl', sha256sum: 'coreutils' },
  async setup() {
    const total = Number(process.env.KILN_BENCH_IMPORT_MB ?? '1024') * 1024 * 1024;
    const work = await mkdtemp(join(tmpdir(), 'kiln-bench-import-'));
    const { files, keyringPath } = await writeSignedStream(work, total);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const nginx = await startNginx({
      prefix: join(work, 'nginx'),
      probeUrl: `${url}streams/v1/index.sjson`,
      server: `    listen 127.0.0.1:${port};\n    root ${join(work, 'www')};`,
    });
    const region = await startRegion({
      config: loadConfig({
        env: {
          KILN_DATA_DIR: join(work, 'region'),
          KILN_LISTEN_ADDRESS: '127.0.0.1',
          KILN_REGION_PORT: '0',
          KILN_BOOT_SOURCE_URL: url,
          KILN_BOOT_SOURCE_KEYRING: keyringPath,
        },
      }),
    });
    // The bench decides when to import: no start-up or scheduled import.
    await region.db
      .insertInto('config')
      .values({ name: 'boot_images_auto_import', value: 'false' })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: 'false' }))
      .execute();
    const service = region.images;
    console.error(
      `[import] ${(total / 1024 / 1024).toFixed(0)} MiB in ${files.length} files from ${url}`,
    );
    return { work, url, files, nginx, region, service };
  },
  async kiln(state) {
    // Each iteration starts from an empty store: the files go, reconciliation forgets them.
    for (const name of await readdir(state.service.store.root))
      await rm(join(state.service.store.root, name), { recursive: true, force: true });
    await state.service.reconcile();
    if (!(await state.service.startImport('bench'))) throw new Error('import did not start');
    await waitIdle(state.service);
    const stored = (await readdir(state.service.store.root)).filter((n) =>
      /^[0-9a-f]{64}$/.test(n),
    );
    if (stored.length !== state.files.length)
      throw new Error(`region stored ${stored.length} files, expected ${state.files.length}`);
  },
  peer: {
    name: 'curl -o + sha256sum',
    async run(state) {
      const out = join(state.work, 'curl');
      await rm(out, { recursive: true, force: true });
      await mkdir(out, { recursive: true });
      for (const [i, file] of state.files.entries()) {
        const dest = join(out, String(i));
        await run('curl', ['-sSf', '-o', dest, `${state.url}${file.path}`]);
        const { stdout } = await run('sha256sum', [dest]);
        if (!stdout.startsWith(file.sha256)) throw new Error(`curl got a different ${file.path}`);
      }
    },
  },
  details(state) {
    return { files: state.files.length, bytes: state.files.reduce((n, f) => n + f.size, 0) };
  },
  async teardown(state) {
    await state.region.close();
    await state.nginx.stop();
    await rm(state.work, { recursive: true, force: true });
  },
};

export default suite;
