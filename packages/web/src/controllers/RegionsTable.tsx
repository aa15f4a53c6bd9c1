import type { RegionControllerJson } from '@kiln/protocol';
import { formatBytes } from '../shared/format.js';
import { ago, controllerHealth } from './controller-health.js';

function RegionRow({ region, now }: { region: RegionControllerJson; now: number }) {
  const health = controllerHealth('regiond', region.service_set);
  const sync = region.image_sync;
  return (
    <tr data-system-id={region.system_id} data-alive={String(health.alive)}>
      <th scope="row">
        {region.hostname}
        <div className="sub">{region.system_id}</div>
      </th>
      <td>{region.version === '' ? '—' : region.version}</td>
      <td>
        <span className={health.className}>{health.text}</span>
        <div className="sub">last seen {ago(region.last_seen, now)}</div>
      </td>
      <td>
        <span className={`status status-${sync.status === 'synced' ? 'synced' : 'queued'}`}>
          {sync.status === 'synced' ? 'Synced' : 'Syncing'}
        </span>{' '}
        {`${String(sync.files_complete)}/${String(sync.files)} files`}
        <div className="sub">
          {formatBytes(sync.bytes_complete)} of {formatBytes(sync.bytes)}
        </div>
      </td>
    </tr>
  );
}

export function RegionsTable({
  regions,
  now,
}: {
  regions: readonly RegionControllerJson[];
  now: number;
}) {
  return (
    <table className="list" aria-labelledby="regions-title">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Version</th>
          <th scope="col">Status</th>
          <th scope="col">Images synced</th>
        </tr>
      </thead>
      <tbody>
        {regions.length === 0 ? (
          <tr>
            <td colSpan={4}>No region controllers listed.</td>
          </tr>
        ) : null}
        {regions.map((r) => (
          <RegionRow key={r.system_id} region={r} now={now} />
        ))}
      </tbody>
    </table>
  );
}
