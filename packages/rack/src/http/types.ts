import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { BootFileCache } from '../cache/index.js';

export interface BootConfigRenderContext {
  /** The rack address the machine reached: what rendered URLs should point back to. */
  readonly rackAddress: string;
  readonly remoteAddress: string | null;
  readonly protocol: 'http';
}

export interface BootConfigResponse {
  readonly body: string | Buffer;
  /** Default `text/plain; charset=utf-8`. */
  readonly contentType?: string;
}

/**
 * Boot config names and rendering (the boot config module's `BootConfigService` fits this):
 * `path` is the sanitised request path without a leading slash (`pxelinux.cfg/01-52-54-...`).
 * The renderer owns the name grammar (MAC forms, GRUB cpu → arch), so TFTP and HTTP agree.
 * `null`/`undefined` means "no config for this name": answered 404 so firmware tries its next name.
 */
export interface BootConfigRenderer {
  isBootConfigPath(path: string): boolean;
  render(
    path: string,
    context: BootConfigRenderContext,
  ): Promise<BootConfigResponse | null | undefined>;
}

/** A bootloader is a cached file (by sha256) or a file on the rack's disk (custom bootloaders). */
export type BootloaderTarget = { readonly sha256: string } | { readonly file: string };

/**
 * Maps a bootloader file name (`bootx64.efi`, `lpxelinux.0`, `ldlinux.c32`, ...) to its file;
 * the mapping comes from the region's bootloader products. `undefined` answers 404.
 */
export interface BootloaderResolver {
  resolve(
    name: string,
    context: { readonly path: string; readonly remoteAddress: string },
  ): Promise<BootloaderTarget | undefined>;
}

export interface RackHttpServerOptions {
  readonly cache: Pick<BootFileCache, 'open'>;
  readonly bootloaders: BootloaderResolver;
  readonly bootConfigs: BootConfigRenderer;
  /** Regions for `/MAAS/` (same form as the cache's `regionUrls`). */
  readonly regionUrls: readonly string[] | (() => readonly string[]);
  readonly logger: Logger;
  readonly metricsRegistry?: Registry;
  /** How long to wait for a region's TCP connect before failing over; default 2 s. */
  readonly proxyConnectTimeoutMs?: number;
}

export const DEFAULT_RACK_HTTP_PORT = 5248;
