import type { BootAnswer, BootRequest } from '@kiln/protocol';

/**
 * Where boot answers come from: normally the region (MAAS's GetBootConfig), through a cache. A
 * null answer means "no config for this request" (an unknown MAC with no arch): the loader gets
 * file-not-found and falls through to its next name, as PXELINUX does to `pxelinux.cfg/default`.
 */
export interface BootPurposeSource {
  lookup(request: BootRequest): Promise<BootAnswer | null>;
}

/** What a state change names; any field that matches drops the cached answers it touches. */
export interface BootInvalidation {
  readonly mac?: string;
  readonly uuid?: string;
  readonly systemId?: string;
}

export interface CachingBootPurposeSource extends BootPurposeSource {
  /** A machine changed (status, netboot, kernel, ...): its answers must not be served again. */
  invalidate(change: BootInvalidation): void;
  invalidateAll(): void;
  /**
   * The region's state version (sent with heartbeats or change notifications). A different value
   * than last seen means something changed that the rack was not told about: drop everything.
   */
  noteVersion(version: number): void;
  readonly size: number;
}
