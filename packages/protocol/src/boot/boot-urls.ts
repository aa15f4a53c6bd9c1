import type { EphemeralBootPurpose } from './boot-answer.js';

/** The rack's HTTP boot port (MAAS's rackd nginx); machines reach images and metadata here. */
export const RACK_HTTP_PORT = 5248;

/** Default remote syslog port on the rack (MAAS's `maas_syslog_port`). */
export const RACK_SYSLOG_PORT = 5247;

/** `host` or `[v6]`, the way an address appears inside a URL. */
export function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** `http://<rack>:5248` */
export function rackBaseUrl(rackAddress: string, port: number = RACK_HTTP_PORT): string {
  return `http://${urlHost(rackAddress)}:${port}`;
}

/** `http://<rack>:5248/images/<path>` — how the rack serves a boot file. */
export function rackImageUrl(rackAddress: string, path: string, port?: number): string {
  return `${rackBaseUrl(rackAddress, port)}/images/${path}`;
}

/**
 * The cloud-config-url for an ephemeral boot (spec §4.3, §4.4, §4.6). Machines reach the metadata
 * server through the rack's `/MAAS/` proxy, so the base is the rack URL by default.
 */
export function preseedUrl(
  baseUrl: string,
  purpose: EphemeralBootPurpose,
  systemId: string | null,
): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (purpose === 'enlist' || systemId === null) {
    return `${base}/MAAS/metadata/latest/enlist-preseed/?op=get_enlist_preseed`;
  }
  return `${base}/MAAS/metadata/latest/by-id/${encodeURIComponent(systemId)}/?op=get_preseed`;
}
