import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import type { BootloaderResolver, BootloaderTarget } from '../http/index.js';
import { bootloaderRelativePath } from './bootloader-paths.js';

export interface BootloaderResolverOptions {
  /** The region's own bootloaders folder when region and rack share a host (`kiln start`). */
  readonly localDir?: string | undefined;
  /** Where fetched bootloaders are kept (`<dataDir>/bootloaders`). */
  readonly mirrorDir: string;
  /** Region bases in failover order. */
  readonly regionUrls: () => readonly string[];
  readonly logger: Logger;
  /** A fetched copy older than this is fetched again (new imports replace bootloaders). Default 10 min. */
  readonly refreshMs?: number;
}

async function isFile(path: string): Promise<{ mtimeMs: number } | null> {
  const info = await stat(path).catch(() => null);
  return info?.isFile() === true ? info : null;
}

/**
 * Bootloaders are small and few, so they are not sha256-addressed like images: they are read
 * from the region's unpacked `bootloaders/<type>/<arch>/` tree, directly when it is on this
 * host, otherwise over `GET /MAAS/boot-resources/bootloaders/...` into a local mirror (written
 * to `.partial`, then renamed, so a half-fetched loader is never served).
 */
export function createBootloaderResolver(options: BootloaderResolverOptions): BootloaderResolver {
  const refreshMs = options.refreshMs ?? 600_000;
  const inFlight = new Map<string, Promise<BootloaderTarget | undefined>>();
  const logger = options.logger.child({ module: 'bootloaders' });

  async function fetchFromRegion(relative: string): Promise<BootloaderTarget | undefined> {
    const target = join(options.mirrorDir, relative);
    const existing = await isFile(target);
    if (existing !== null && Date.now() - existing.mtimeMs < refreshMs) return { file: target };
    for (const base of options.regionUrls()) {
      let response: Response;
      try {
        response = await fetch(`${base}/MAAS/boot-resources/bootloaders/${relative}`, {
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        logger.warn({ err: error, region: base }, 'region unreachable for bootloader');
        continue;
      }
      if (response.status === 404) {
        // The region no longer provides it (its resource was removed): neither may the rack.
        await response.body?.cancel();
        if (existing !== null) {
          await unlink(target).catch(() => undefined);
          logger.info(
            { bootloader: relative },
            'bootloader withdrawn by the region; mirror copy removed',
          );
        }
        return undefined;
      }
      if (!response.ok || response.body === null) {
        await response.body?.cancel();
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      const partial = `${target}.${process.pid}.partial`;
      try {
        await pipeline(
          Readable.fromWeb(response.body),
          createWriteStream(partial, { flush: true }),
        );
        await rename(partial, target);
      } catch (error) {
        await unlink(partial).catch(() => undefined);
        throw error;
      }
      return { file: target };
    }
    return existing === null ? undefined : { file: target };
  }

  return {
    async resolve(name) {
      const relative = bootloaderRelativePath(name);
      if (relative === null) return undefined;
      if (options.localDir !== undefined) {
        const local = join(options.localDir, relative);
        if ((await isFile(local)) !== null) return { file: local };
      }
      let pending = inFlight.get(relative);
      if (pending === undefined) {
        pending = fetchFromRegion(relative).finally(() => inFlight.delete(relative));
        inFlight.set(relative, pending);
      }
      return pending;
    },
  };
}
