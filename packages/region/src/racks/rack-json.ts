import {
  RackCacheReportSchema,
  type BootFileCacheJson,
  type RackCacheReport,
  type ControllerService,
  type RackControllerJson,
} from '@kiln/protocol';
import { API_PREFIX } from '../api/index.js';
import type { ServableImage } from './region-images.js';
import type { RackRow } from './tables.js';

/** Heartbeat period racks are told to use; a rack silent for 3 periods shows its services dead. */
export const HEARTBEAT_INTERVAL_SECONDS = 30;

interface ReportedInterface {
  readonly name: string;
  readonly mac_address: string | null;
  readonly addresses: readonly string[];
}

/** Whether a controller beat within three periods (the rule for racks and regions alike). */
export function isAlive(lastSeen: string | null, now: Date): boolean {
  if (lastSeen === null) return false;
  return now.getTime() - Date.parse(lastSeen) < 3 * HEARTBEAT_INTERVAL_SECONDS * 1000;
}

function parseCacheStats(text: string): RackCacheReport | null {
  try {
    const parsed = RackCacheReportSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function imagesCached(
  cached: readonly string[] | undefined,
  images: readonly ServableImage[] | undefined,
): BootFileCacheJson['images'] {
  if (cached === undefined || images === undefined) return null;
  const held = new Set(cached);
  const ready = images.filter((image) => image.sha256s.every((sha) => held.has(sha)));
  return { total: images.length, cached: ready.length, cached_images: ready.map((i) => i.label) };
}

/**
 * The `boot_file_cache` extension field from the stored report; null when none was sent.
 * `images` (the region's servable images) is read once per request by the caller.
 */
export function bootFileCacheJson(
  rack: RackRow,
  images?: readonly ServableImage[],
): BootFileCacheJson | null {
  const cache = rack.cache_stats === null ? null : parseCacheStats(rack.cache_stats);
  if (cache === null) return null;
  const opens = cache.hits + cache.misses;
  return {
    size: cache.used_bytes,
    capacity: cache.capacity_bytes,
    files: cache.files,
    hits: cache.hits,
    misses: cache.misses,
    hit_rate: opens === 0 ? null : cache.hits / opens,
    region_fetches: cache.region_fetches,
    served_bytes: cache.served_bytes ?? null,
    updated: rack.last_seen,
    images: imagesCached(cache.cached, images),
  };
}

function serviceStatus(alive: boolean, state: unknown): Omit<ControllerService, 'name'> {
  if (!alive) return { status: 'dead', status_info: 'No heartbeat from the rack.' };
  if (state === 'off' || state === 'disabled' || state === 'external')
    return { status: 'off', status_info: state };
  if (state === 'running' || state === true) return { status: 'running', status_info: '' };
  return { status: 'degraded', status_info: typeof state === 'string' ? state : 'unknown' };
}

/** A rack controller as MAAS's API shows it (spec §2.12), from what the rack last reported. */
export function rackJson(
  rack: RackRow,
  now: Date = new Date(),
  images?: readonly ServableImage[],
): RackControllerJson & Record<string, unknown> {
  const interfaces = JSON.parse(rack.interfaces) as ReportedInterface[];
  const services = JSON.parse(rack.services) as Record<string, unknown>;
  const alive = isAlive(rack.last_seen, now);
  const ipAddresses = interfaces.flatMap((i) => i.addresses.map((a) => a.split('/')[0] ?? a));
  const shortName = rack.hostname.split('.')[0] ?? rack.hostname;
  return {
    system_id: rack.system_id,
    hostname: shortName,
    fqdn: rack.hostname.includes('.') ? rack.hostname : `${rack.hostname}.maas`,
    description: rack.description,
    domain: { id: 0, name: 'maas', authoritative: true, resource_uri: `${API_PREFIX}domains/0/` },
    architecture: rack.architecture,
    version: rack.version,
    osystem: 'ubuntu',
    distro_series: '',
    cpu_count: rack.cpu_count,
    memory: Math.floor(rack.memory / (1024 * 1024)),
    node_type: 2,
    node_type_name: 'Rack controller',
    power_state: 'unknown',
    power_type: '',
    zone: { id: 1, name: 'default', description: '', resource_uri: `${API_PREFIX}zones/default/` },
    tag_names: [],
    status_action: '',
    ip_addresses: ipAddresses,
    interface_set: interfaces.map((iface, index) => ({
      id: index + 1,
      name: iface.name,
      type: 'physical',
      mac_address: iface.mac_address,
      links: iface.addresses.map((address, linkIndex) => ({
        id: linkIndex + 1,
        mode: 'static',
        ip_address: address.split('/')[0] ?? address,
      })),
    })),
    service_set: ['rackd', 'http', 'tftp', 'dhcpd'].map((name) => ({
      name,
      ...serviceStatus(alive, name === 'rackd' ? 'running' : services[name]),
    })),
    last_seen: rack.last_seen,
    // Kiln extension: the rack's cache figures from its latest heartbeat.
    boot_file_cache: bootFileCacheJson(rack, images),
    resource_uri: `${API_PREFIX}rackcontrollers/${rack.system_id}/`,
  };
}
