import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { atomicWriteFile } from '@kiln/node-kit';
import { buildStream, writeSigningKeyFiles } from '@kiln/simplestreams';
import type { Logger } from 'pino';
import { BOOTLOADER_PACKAGES, packBootloaders } from './bootloaders.js';
import { buildCacheKey, initrdKey, streamKey } from './cache-key.js';
import { downloadDebs, resolvePackageVersions } from './debian-packages.js';
import { extractKernel } from './kernel.js';
import { buildEphemeralInitrd } from './ephemeral-initrd.js';
import { packRootTgz } from './pack-images.js';
import { buildRootfs, ROOTFS_PACKAGES } from './rootfs.js';
import { runCommand } from './run-command.js';
import { testImageManifest, type ImageFiles } from './stream-manifest.js';

export interface BuildImagesOptions {
  readonly outDir: string;
  /**
   * A mirror URL. Default: the host's own apt sources (/etc/apt/sources.list.d/debian.sources), so
   * the image gets the same kernel (bookworm-security) that `apt-get download` fetches.
   */
  readonly mirror?: string;
  readonly suite?: string;
  /** Rebuild even when the cache has this key. */
  readonly force?: boolean;
  readonly logger?: Logger | undefined;
  /** Called when a phase ends, with its duration: the CLI prints these. */
  readonly onPhase?: (phase: string, seconds: number) => void;
}

export interface BuildImagesResult {
  readonly key: string;
  readonly cached: boolean;
  /** Signed stream root: serve it over HTTP and use `<url>/streams/v1/index.sjson`. */
  readonly streamDir: string;
  readonly keyringPath: string;
  readonly files: Readonly<Record<keyof ImageFiles, { path: string; size: number }>>;
  readonly phases: Readonly<Record<string, number>>;
  readonly totalSeconds: number;
  /** Bytes on disk under outDir after the build (cache + stream + keys). */
  readonly diskBytes: number;
}

interface CacheRecord {
  readonly key: string;
  readonly version: string;
  readonly kernelPackage: string;
  readonly packages: Record<string, string>;
}

/** A valid stream item (right sha256 and size) that is not a tarball: the installer must fail. */
const BROKEN_ROOT_TGZ =
  'This root-tgz is deliberately not a tarball (Kiln VM test: failed deployment).\n'.repeat(64);

const HOST_SOURCES = '/etc/apt/sources.list.d/debian.sources';

const FILE_NAMES: Omit<ImageFiles, 'brokenRootTgz'> = {
  kernel: 'boot-kernel',
  initrd: 'boot-initrd',
  rootTgz: 'root-tgz',
  syslinux: 'syslinux.tar.xz',
  ipxe: 'ipxe.tar.xz',
};

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * `kiln-testkit build-images`: Kiln's VM test images from Debian packages, published as a signed
 * simplestreams stream. Content-addressed: a second run with the same packages and builder source
 * only re-checks versions (seconds).
 */
export async function buildImages(options: BuildImagesOptions): Promise<BuildImagesResult> {
  const out = resolve(options.outDir);
  const sources =
    options.mirror !== undefined
      ? [options.mirror]
      : (await exists(HOST_SOURCES))
        ? [HOST_SOURCES]
        : ['http://deb.debian.org/debian'];
  const mirror = sources.includes(HOST_SOURCES) ? await readFile(HOST_SOURCES, 'utf8') : sources[0];
  const suite = options.suite ?? 'bookworm';
  const logger = options.logger;
  const phases: Record<string, number> = {};
  const started = Date.now();
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const value = await work();
    phases[phase] = (Date.now() - t0) / 1000;
    options.onPhase?.(phase, phases[phase]);
    return value;
  };

  await mkdir(out, { recursive: true });
  const resolved = await timed('resolve-versions', () =>
    resolvePackageVersions([...BOOTLOADER_PACKAGES, 'cloud-init', 'grub-pc', 'systemd'], logger),
  );
  const key = await buildCacheKey({
    mirror,
    suite,
    versions: resolved.versions,
    packages: ROOTFS_PACKAGES,
  });
  const cacheDir = join(out, 'cache', key.slice(0, 16));
  const cached = !options.force && (await exists(join(cacheDir, 'build.json')));
  if (!cached) await buildIntoCache(cacheDir, key, resolved, { sources, suite, logger, timed });
  await pruneOtherCaches(join(out, 'cache'), key.slice(0, 16));
  const initrd = await initrdKey(key);
  const initrdMarker = join(cacheDir, 'boot-initrd.key');
  if (options.force === true || (await readFile(initrdMarker, 'utf8').catch(() => '')) !== initrd) {
    await timed('pack-ephemeral-initrd', async () => {
      await rm(initrdMarker, { force: true });
      await buildEphemeralInitrd(
        join(cacheDir, FILE_NAMES.rootTgz),
        `${cacheDir}.work`,
        join(cacheDir, FILE_NAMES.initrd),
        logger,
      );
      await rm(`${cacheDir}.work`, { recursive: true, force: true });
      await atomicWriteFile(initrdMarker, initrd);
    });
  }

  const record = JSON.parse(await readFile(join(cacheDir, 'build.json'), 'utf8')) as CacheRecord;
  const brokenRoot = join(cacheDir, 'root-tgz-broken');
  if (!(await exists(brokenRoot))) {
    await atomicWriteFile(brokenRoot, BROKEN_ROOT_TGZ);
  }
  const files: ImageFiles = {
    kernel: join(cacheDir, FILE_NAMES.kernel),
    initrd: join(cacheDir, FILE_NAMES.initrd),
    rootTgz: join(cacheDir, FILE_NAMES.rootTgz),
    syslinux: join(cacheDir, FILE_NAMES.syslinux),
    ipxe: join(cacheDir, FILE_NAMES.ipxe),
    brokenRootTgz: brokenRoot,
  };
  const keysDir = join(out, 'keys');
  const keyringPath = join(keysDir, 'keyring.gpg');
  if (!(await exists(keyringPath))) {
    await mkdir(keysDir, { recursive: true });
    await writeSigningKeyFiles(keysDir, { name: 'Kiln VM test images' });
  }
  const streamDir = join(out, 'stream');
  const marker = join(streamDir, '.kiln-build-key');
  const current = await readFile(marker, 'utf8').catch(() => '');
  const wantedStream = await streamKey(key, initrd);
  if (current !== wantedStream || options.force === true) {
    await timed('publish-stream', async () => {
      const partial = `${streamDir}.partial`;
      await rm(partial, { recursive: true, force: true });
      await buildStream({
        manifest: testImageManifest(files, record.version, record.packages, record.kernelPackage),
        outDir: partial,
        signKey: join(keysDir, 'signing-key.asc'),
        logger,
      });
      await writeFile(join(partial, '.kiln-build-key'), wantedStream);
      await rm(streamDir, { recursive: true, force: true });
      await rename(partial, streamDir);
    });
  }
  const sizes = {} as Record<keyof ImageFiles, { path: string; size: number }>;
  for (const [k, path] of Object.entries(files) as [keyof ImageFiles, string][]) {
    sizes[k] = { path, size: (await stat(path)).size };
  }
  const du = await runCommand('du', ['-sb', out], { captureStdout: true });
  return {
    key,
    cached,
    streamDir,
    keyringPath,
    files: sizes,
    phases,
    totalSeconds: (Date.now() - started) / 1000,
    diskBytes: Number(du.split('\t')[0]),
  };
}

interface BuildContext {
  readonly sources: readonly string[];
  readonly suite: string;
  readonly logger: Logger | undefined;
  readonly timed: <T>(phase: string, work: () => Promise<T>) => Promise<T>;
}

async function buildIntoCache(
  cacheDir: string,
  key: string,
  resolved: Awaited<ReturnType<typeof resolvePackageVersions>>,
  { sources, suite, logger, timed }: BuildContext,
): Promise<void> {
  const work = `${cacheDir}.work`;
  const partial = `${cacheDir}.partial`;
  await rm(work, { recursive: true, force: true });
  await rm(partial, { recursive: true, force: true });
  await mkdir(join(work, 'debs'), { recursive: true });
  await mkdir(partial, { recursive: true });
  const debs = await timed('download-debs', () =>
    downloadDebs([resolved.kernelPackage, ...BOOTLOADER_PACKAGES], join(work, 'debs'), logger),
  );
  const rootfs = join(work, 'rootfs');
  const release = await timed('mmdebstrap-rootfs', () =>
    buildRootfs({ dir: rootfs, sources, suite, logger }),
  );
  const kernelDeb = debs.get(resolved.kernelPackage) ?? '';
  await timed('extract-kernel', () =>
    extractKernel(kernelDeb, work, release, join(partial, FILE_NAMES.kernel), logger),
  );
  await timed('pack-root-tgz', () =>
    packRootTgz(rootfs, join(partial, FILE_NAMES.rootTgz), logger),
  );
  await timed('pack-bootloaders', () => packBootloaders(debs, work, partial, logger));
  const record: CacheRecord = {
    key,
    version: `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}.${key.slice(0, 8)}`,
    kernelPackage: resolved.kernelPackage,
    packages: { ...resolved.versions },
  };
  await atomicWriteFile(join(partial, 'build.json'), `${JSON.stringify(record, null, 2)}\n`);
  await rm(cacheDir, { recursive: true, force: true });
  await rename(partial, cacheDir);
  await rm(work, { recursive: true, force: true });
}

/** One build's artefacts are ~0.5 GB: keep only the current key's. */
async function pruneOtherCaches(dir: string, keep: string): Promise<void> {
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    if (entry !== keep) await rm(join(dir, entry), { recursive: true, force: true });
  }
}
