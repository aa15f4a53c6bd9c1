// Image import throughput: the region importing a generated signed stream served by nginx on
// loopback (read + verify the stream, download every file with sha256 checked while streaming,
// fsync, rename, record) against `curl -o` followed by `sha256sum` of the same files.
//   npm run bench -- import                         1 GiB of image files
//   KILN_BENCH_IMPORT_MB=64 npm run bench -- import a quick run
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@kiln/node-kit';
import { startRegion, type ImageService, type RunningRegion } from '@kiln/region';
import { buildStream, loadSigningKey, writeSigningKeyFiles } from '@kiln/simplestreams';
import { startNginx, type NginxProcess } from '../lib/nginx.js';
import type { BenchSuite } from '../lib/types.js';

const run = promisify(execFile);

interface BenchFile {
  readonly path: string;
  readonly size: number;
  sha256: string;
}

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

/** Writes `size` random bytes in 4 MiB pieces and returns their sha256. */
async function writeBlob(path: string, size: number): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const hash = createHash('sha256');
  const handle = await open(path, 'w');
  try {
    for (let done = 0; done < size;) {
      const piece = randomBytes(Math.min(4 << 20, size - done));
      hash.update(piece);
      await handle.write(piece);
      done += piece.length;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

function layout(totalBytes: number): BenchFile[] {
  const dir = 'noble/amd64/20250718';
  const part = (share: number): number => Math.max(1, Math.floor(totalBytes * share));
  return [
    { path: `${dir}/squashfs`, size: part(0.7), sha256: '' },
    { path: `${dir}/ga-24.04/generic/boot-kernel`, size: part(0.05), sha256: '' },
    { path: `${dir}/ga-24.04/generic/boot-initrd`, size: part(0.1), sha256: '' },
    { path: `${dir}/hwe-24.04/generic/boot-kernel`, size: part(0.05), sha256: '' },
    { path: `${dir}/hwe-24.04/generic/boot-initrd`, size: part(0.1), sha256: '' },
  ];
}

function manifest(files: readonly BenchFile[]): unknown {
  const product = (subarch: string) => ({
    arch: 'amd64',
    os: 'ubuntu',
    release: 'noble',
    version: '24.04',
    label: 'stable',
    subarch,
    subarches: `generic,hwe-n,${subarch}`,
    kflavor: 'generic',
    versions: {
      '20250718': {
        items: Object.fromEntries(
          files
            .filter((f) => f.path.includes(`/${subarch}/`) || f.path.endsWith('squashfs'))
            .map((f) => {
              const ftype = f.path.split('/').at(-1) ?? 'squashfs';
              return [
                ftype,
                { ftype, path: f.path, file: `blobs/${f.path}`, kpackage: 'linux-generic' },
              ];
            }),
        ),
      },
    },
  });
  return {
    updated: 'Thu, 24 Jul 2025 08:01:49 +0000',
    content: {
      'com.ubuntu.maas:stable:v3:download': {
        datatype: 'image-ids',
        products: {
          'com.ubuntu.maas.stable:v3:boot:24.04:amd64:ga-24.04': product('ga-24.04'),
          'com.ubuntu.maas.stable:v3:boot:24.04:amd64:hwe-24.04': product('hwe-24.04'),
        },
      },
    },
  };
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
    const files = layout(total);
    for (const file of files)
      file.sha256 = await writeBlob(join(work, 'source/blobs', file.path), file.size);
    await writeFile(join(work, 'source/manifest.json'), JSON.stringify(manifest(files)));
    const keys = await writeSigningKeyFiles(join(work, 'keys'));
    await buildStream({
      manifest: join(work, 'source/manifest.json'),
      outDir: join(work, 'www'),
      signKey: await loadSigningKey(Buffer.from(keys.privateKeyArmored)),
    });
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
          KILN_BOOT_SOURCE_KEYRING: keys.keyringPath,
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
