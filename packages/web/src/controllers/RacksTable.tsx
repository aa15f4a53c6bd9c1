import type { RackControllerJson } from '@kiln/protocol';
import { formatBytes } from '../shared/format.js';
import { ago, controllerHealth, percent } from './controller-health.js';

/** A few names, then "+N more" (the full list is the cell's tooltip). */
function shortList(names: readonly string[], shown = 2): string {
  const head = names.slice(0, shown).join(', ');
  return names.length > shown ? `${head} +${String(names.length - shown)} more` : head;
}

function CacheUse({ rack }: { rack: RackControllerJson }) {
  const cache = rack.boot_file_cache;
  if (cache === null) return <span className="sub">not reported</span>;
  return (
    <>
      <meter
        min={0}
        max={Math.max(cache.capacity, 1)}
        value={cache.size}
        aria-label={`${rack.hostname} cache use`}
        aria-valuetext={`${formatBytes(cache.size)} of ${formatBytes(cache.capacity)}`}
      />
      <span className="cache-figures">
        {' '}
        {formatBytes(cache.size)} of {formatBytes(cache.capacity)}
        {cache.capacity > 0 ? ` (${percent(cache.size / cache.capacity)})` : ''}
      </span>
    </>
  );
}

function RackRow({ rack, now }: { rack: RackControllerJson; now: number }) {
  const health = controllerHealth('rackd', rack.service_set);
  const cache = rack.boot_file_cache;
  return (
    <tr data-system-id={rack.system_id} data-alive={String(health.alive)}>
      <th scope="row">
        {rack.hostname}
        <div className="sub">{rack.system_id}</div>
      </th>
      <td>{rack.version === '' ? '—' : rack.version}</td>
      <td>{rack.ip_addresses.join(', ') || '—'}</td>
      <td>
        <span className={health.className}>{health.text}</span>
        <div className="sub">last heartbeat {ago(rack.last_seen, now)}</div>
        <div className="sub">
          {rack.service_set.map((s) => `${s.name}: ${s.status}`).join(' · ')}
        </div>
      </td>
      <td className="cache-use" style={{ whiteSpace: 'nowrap' }}>
        <CacheUse rack={rack} />
      </td>
      <td>{cache === null ? '—' : String(cache.files)}</td>
      <td>
        {cache?.images == null
          ? '—'
          : `${String(cache.images.cached)}/${String(cache.images.total)}`}
        {cache?.images == null || cache.images.cached_images.length === 0 ? null : (
          <div className="sub" title={cache.images.cached_images.join('\n')}>
            {shortList(cache.images.cached_images)}
          </div>
        )}
      </td>
      <td>
        {cache === null ? '—' : percent(cache.hit_rate)}
        {cache === null ? null : (
          <div className="sub">
            {String(cache.hits)} hits, {String(cache.misses)} misses, {String(cache.region_fetches)}{' '}
            region fetches
          </div>
        )}
      </td>
    </tr>
  );
}

export function RacksTable({ racks, now }: { racks: readonly RackControllerJson[]; now: number }) {
  return (
    <table className="list" aria-labelledby="racks-title">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Version</th>
          <th scope="col">Addresses</th>
          <th scope="col">Health</th>
          <th scope="col">Boot file cache</th>
          <th scope="col">Files</th>
          <th scope="col" title="Images whose boot files are all in the rack's cache">
            Images cached
          </th>
          <th scope="col">Hit rate</th>
        </tr>
      </thead>
      <tbody>
        {racks.length === 0 ? (
          <tr>
            <td colSpan={8}>No rack controllers registered.</td>
          </tr>
        ) : null}
        {racks.map((r) => (
          <RackRow key={r.system_id} rack={r} now={now} />
        ))}
      </tbody>
    </table>
  );
}
