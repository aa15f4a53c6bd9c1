import type { RackControllerJson, RegionControllerJson } from '@kiln/protocol';
import { useQuery } from '@tanstack/react-query';
import { ApiError, get } from '../shared/api-client.js';
import { Banner, ErrorText } from '../shared/Banner.js';
import { POLLED } from '../shared/polling.js';
import { RacksTable } from './RacksTable.js';
import { RegionsTable } from './RegionsTable.js';

/** null when this region has no such API (404): the page says so instead of failing. */
async function optional<T>(path: string): Promise<T | null> {
  try {
    return await get<T>(path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/**
 * Regions and racks with their health, the racks' boot-file cache figures (from their
 * heartbeats) and each region's image copies. Polled; rows are keyed by system id and previous
 * data stays while refetching, so the tables never flash.
 */
export function ControllersPage() {
  const regions = useQuery({
    queryKey: ['regioncontrollers'],
    queryFn: () => optional<RegionControllerJson[]>('regioncontrollers/'),
    ...POLLED,
    refetchInterval: 5000,
  });
  const racks = useQuery({
    queryKey: ['rackcontrollers'],
    queryFn: () => optional<RackControllerJson[]>('rackcontrollers/'),
    ...POLLED,
    refetchInterval: 5000,
  });
  // Ages are measured from when the data arrived, so a re-render alone never changes the text.
  const now = Math.max(regions.dataUpdatedAt, racks.dataUpdatedAt);
  return (
    <div>
      <div className="page-header">
        <h1>Controllers</h1>
      </div>
      <ErrorText error={regions.error ?? racks.error} />
      <section className="card" aria-labelledby="regions-title">
        <h2 id="regions-title">Region controllers</h2>
        {regions.data === null ? (
          <Banner kind="info">This region does not offer the region controllers API.</Banner>
        ) : (
          <RegionsTable regions={regions.data ?? []} now={now} />
        )}
      </section>
      <section className="card" aria-labelledby="racks-title">
        <h2 id="racks-title">Rack controllers</h2>
        <p className="sub">
          Racks fetch boot files from the regions on demand and keep them in their cache; an image
          counts as cached when every one of its boot files is there.
        </p>
        {racks.data === null ? (
          <Banner kind="info">This region does not offer the rack controllers API.</Banner>
        ) : (
          <RacksTable racks={racks.data ?? []} now={now} />
        )}
      </section>
    </div>
  );
}
