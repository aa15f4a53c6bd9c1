import { isAppError } from '@kiln/node-kit';
import type { BootConfigService } from '../bootconfig/index.js';
import type { BootFileCache, BootFileReader } from '../cache/index.js';
import { isSha256 } from '../cache/index.js';
import { rackAddressFacing, type RackInterface } from '../dhcp/index.js';
import type { BootloaderResolver } from '../http/index.js';
import { isBootloaderName } from '../http/index.js';
import { bufferSource, fileSource, type TftpResolver, type TftpSource } from '../tftp/index.js';

export interface TftpResolverOptions {
  readonly cache: Pick<BootFileCache, 'open'>;
  readonly bootConfigs: BootConfigService;
  readonly bootloaders: BootloaderResolver;
  readonly interfaces: () => readonly RackInterface[];
  /** Address TFTP is bound to; the rack address in configs when no interface faces the client. */
  readonly boundAddress: string;
}

function readerSource(reader: BootFileReader): TftpSource {
  return {
    size: reader.knownSize,
    read: (target, position) => reader.readInto(target, position),
    close: () => {
      reader.close();
    },
  };
}

/**
 * The TFTP namespace, the same as HTTP :5248: boot config names are rendered for the machine,
 * `images/<sha256>/...` and bootloader names come from the cache (fetched from the region once,
 * whichever protocol asked first). Unknown names are file-not-found.
 */
export function createTftpResolver(options: TftpResolverOptions): TftpResolver {
  async function openCached(sha256: string): Promise<TftpSource | null> {
    try {
      return readerSource(await options.cache.open(sha256));
    } catch (error) {
      if (isAppError(error) && error.status === 404) return null;
      throw error;
    }
  }

  return async (path, client) => {
    if (options.bootConfigs.isBootConfigPath(path)) {
      const rackAddress =
        rackAddressFacing(client.address, options.interfaces()) ?? options.boundAddress;
      const rendered = await options.bootConfigs.render(path, {
        rackAddress,
        remoteAddress: client.address,
        protocol: 'tftp',
      });
      return rendered === null ? null : bufferSource(Buffer.from(rendered.body));
    }
    const segments = path.split('/');
    if (segments[0] === 'images' && segments.length >= 2) {
      const sha = (segments[1] ?? '').toLowerCase();
      if (isSha256(sha)) return openCached(sha);
    }
    const name = segments[segments.length - 1] ?? '';
    if (!isBootloaderName(name)) return null;
    const target = await options.bootloaders.resolve(name, { path, remoteAddress: client.address });
    if (target === undefined) return null;
    return 'sha256' in target ? openCached(target.sha256) : fileSource(target.file);
  };
}
