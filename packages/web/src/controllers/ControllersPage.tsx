import { useQuery } from '@tanstack/react-query';
import { ApiError, get } from '../shared/api-client.js';
import { Banner, ErrorText } from '../shared/Banner.js';
import { formatBytes } from '../shared/format.js';
import { POLLED } from '../shared/polling.js';

interface Service {
  readonly name: string;
  readonly status: string;
  readonly status_info?: string;
}

interface Rack {
  readonly system_id: string;
  readonly hostname: string;
  readonly version: string;
  readonly architecture: string;
  readonly ip_addresses: readonly string[];
  readonly service_set: readonly Service[];
  readonly last_seen?: string | null;
  /** Reported by rack agents that send cache statistics. */
  readonly cache?: {
    readonly size_bytes: number;
    readonly used_bytes: number;
    readonly hit_rate: number;
  };
}

interface BootImages {
  readonly status: string;
  readonly images: readonly { name: string; architecture: string }[];
}

/** null when this region has no such API (404): the page says so instead of failing. */
async function optional<T>(path: string): Promise<T | null> {
  try {
    return await get<T>(path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

function RackRow({ rack }: { rack: Rack }) {
  const images = useQuery({
    queryKey: ['rack-images', rack.system_id],
    queryFn: () => get<BootImages>(`rackcontrollers/${rack.system_id}/?op=list_boot_images`),
    ...POLLED,
    refetchInterval: 10_000,
  });
  const degraded = rack.service_set.filter((s) => s.status !== 'running' && s.status !== 'off');
  return (
    <tr>
      <td>
        {rack.hostname}
        <div className="sub">{rack.system_id}</div>
      </td>
      <td>{rack.version}</td>
      <td>{rack.ip_addresses.join(', ') || '—'}</td>
      <td>
        {degraded.length === 0
          ? 'Healthy'
          : `Degraded: ${degraded.map((s) => `${s.name} ${s.status}`).join(', ')}`}
        <div className="sub">
          {rack.service_set.map((s) => `${s.name}: ${s.status}`).join(' · ')}
        </div>
      </td>
      <td>
        {rack.cache === undefined
          ? 'not reported'
          : `${formatBytes(rack.cache.used_bytes)} of ${formatBytes(rack.cache.size_bytes)}, ${(rack.cache.hit_rate * 100).toFixed(0)}% hits`}
      </td>
      <td>
        {images.data === undefined
          ? '…'
          : `${images.data.status} (${String(images.data.images.length)} images)`}
      </td>
    </tr>
  );
}

export function ControllersPage() {
  const racks = useQuery({
    queryKey: ['rackcontrollers'],
    queryFn: () => optional<Rack[]>('rackcontrollers/'),
    ...POLLED,
    refetchInterval: 5000,
  });
  const version = useQuery({
    queryKey: ['version'],
    queryFn: () => get<{ version: string; subversion: string }>('version/'),
  });
  return (
    <div>
      <div className="page-header">
        <h1>Controllers</h1>
      </div>
      <ErrorText error={racks.error} />
      <section className="card" aria-labelledby="regions-title">
        <h2 id="regions-title">Region controllers</h2>
        <p>
          This region: {window.location.host} —{' '}
          {version.data === undefined
            ? '…'
            : `${version.data.subversion} (MAAS API ${version.data.version})`}
        </p>
      </section>
      <section className="card" aria-labelledby="racks-title">
        <h2 id="racks-title">Rack controllers</h2>
        {racks.data === null ? (
          <Banner kind="info">This region does not offer the rack controllers API.</Banner>
        ) : null}
        <table className="list" aria-labelledby="racks-title">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Version</th>
              <th scope="col">Addresses</th>
              <th scope="col">Health</th>
              <th scope="col">Cache</th>
              <th scope="col">Image sync</th>
            </tr>
          </thead>
          <tbody>
            {(racks.data ?? []).length === 0 ? (
              <tr>
                <td colSpan={6}>No rack controllers registered.</td>
              </tr>
            ) : null}
            {(racks.data ?? []).map((r) => (
              <RackRow key={r.system_id} rack={r} />
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
