import type { Logger } from 'pino';
import type { BootAnswer, BootRequest, BootTransferProtocol } from '@kiln/protocol';
import { RACK_HTTP_PORT } from '@kiln/protocol';
import type { BootPurposeSource } from './boot-purpose-source.js';
import type { BootConfigTarget } from './config-path.js';
import { parseBootConfigPath } from './config-path.js';
import type { GrubRenderOptions } from './grub-config.js';
import { renderGrubBootstrap, renderGrubConfig } from './grub-config.js';
import { renderIpxeBootstrap, renderIpxeConfig } from './ipxe-config.js';
import { renderPxelinuxConfig } from './pxelinux-config.js';

/**
 * The one entry point the rack's TFTP and HTTP servers call for a config name: recognise it, ask
 * the boot purpose source, render for the loader. Both servers share it so a machine gets the same
 * answer whichever way it asks.
 */
export interface BootConfigContext {
  /** Local address the request arrived on: the address the machine can reach the rack at. */
  readonly rackAddress: string;
  readonly remoteAddress: string | null;
  readonly protocol: BootTransferProtocol;
  /** Arch from DHCP option 93, when the caller knows it (a lease lookup); the path's arch wins. */
  readonly arch?: string | null;
}

export interface RenderedBootConfig {
  readonly body: string;
  readonly contentType: 'text/plain; charset=utf-8';
  /** The purpose rendered (null for the static bootstrap files), for logs and metrics. */
  readonly purpose: BootAnswer['purpose'] | null;
}

export interface BootConfigService {
  /** True when `path` names a boot config (whether or not one exists for the machine). */
  isBootConfigPath(path: string): boolean;
  /** Null when `path` is not a config, or the source has no answer: the caller answers not-found. */
  render(path: string, context: BootConfigContext): Promise<RenderedBootConfig | null>;
}

export interface BootConfigServiceOptions {
  readonly source: BootPurposeSource;
  readonly logger: Logger;
  readonly grubImageTransport?: GrubRenderOptions['imageTransport'];
  /**
   * The port the rack's HTTP boot server listens on, read at each request (it is known only once
   * the server is bound, and may be an ephemeral port): every URL in a config uses it, the ones
   * the rack writes and the ones the region writes into its answer. Default 5248.
   */
  readonly httpPort?: () => number;
}

/** Dual-stack sockets report IPv4 peers as `::ffff:a.b.c.d`; machines know the rack by the IPv4 form. */
export function unmapIpv4(address: string): string {
  return address.toLowerCase().startsWith('::ffff:') && address.includes('.')
    ? address.slice(7)
    : address;
}

function toRequest(
  target: Exclude<BootConfigTarget, { kind: 'bootstrap' }>,
  context: BootConfigContext,
  httpPort: number,
): BootRequest {
  const fromPath = target.kind === 'default' ? target : null;
  return {
    mac: target.kind === 'mac' ? target.mac : null,
    uuid: target.kind === 'uuid' ? target.uuid : null,
    arch: fromPath?.arch ?? context.arch ?? null,
    subarch: fromPath?.subarch ?? null,
    rack_address: unmapIpv4(context.rackAddress),
    rack_http_port: httpPort,
    remote_address: context.remoteAddress === null ? null : unmapIpv4(context.remoteAddress),
    protocol: context.protocol,
    loader: target.loader,
  };
}

function text(body: string, purpose: RenderedBootConfig['purpose']): RenderedBootConfig {
  return { body, contentType: 'text/plain; charset=utf-8', purpose };
}

export function createBootConfigService(options: BootConfigServiceOptions): BootConfigService {
  const logger = options.logger.child({ module: 'bootconfig' });
  const httpPort = options.httpPort ?? (() => RACK_HTTP_PORT);
  return {
    isBootConfigPath(path) {
      return parseBootConfigPath(path) !== null;
    },
    async render(path, context) {
      const target = parseBootConfigPath(path);
      if (target === null) return null;
      if (target.kind === 'bootstrap') {
        return text(
          target.loader === 'ipxe'
            ? renderIpxeBootstrap(unmapIpv4(context.rackAddress), httpPort())
            : renderGrubBootstrap(),
          null,
        );
      }
      const request = toRequest(target, context, httpPort());
      const answer = await options.source.lookup(request);
      if (answer === null) {
        logger.debug({ path, mac: request.mac, uuid: request.uuid }, 'no boot answer for request');
        return null;
      }
      logger.debug(
        { path, mac: request.mac, purpose: answer.purpose, machineId: answer.system_id },
        'boot config',
      );
      switch (target.loader) {
        case 'ipxe':
          return text(renderIpxeConfig(answer), answer.purpose);
        case 'pxelinux':
          return text(renderPxelinuxConfig(answer), answer.purpose);
        case 'grub':
          return text(
            renderGrubConfig(answer, {
              protocol: context.protocol,
              ...(options.grubImageTransport === undefined
                ? {}
                : { imageTransport: options.grubImageTransport }),
              httpPort: request.rack_http_port,
            }),
            answer.purpose,
          );
      }
    },
  };
}
