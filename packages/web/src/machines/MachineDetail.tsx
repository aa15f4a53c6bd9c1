import { ErrorText } from '../shared/Banner.js';
import { formatBytes, formatMemoryMiB } from '../shared/format.js';
import { Link } from '../shared/router.js';
import { MachineActions } from './MachineActions.js';
import { useMachine, useMachineDetails, useMachineEvents } from './machine-queries.js';

function seconds(value: number | null): string {
  if (value === null) return 'in progress';
  return value < 60
    ? `${value.toFixed(1)} s`
    : `${Math.floor(value / 60)} min ${Math.round(value % 60)} s`;
}

export function MachineDetail({ systemId }: { systemId: string }) {
  const machine = useMachine(systemId);
  const details = useMachineDetails(systemId);
  const events = useMachineEvents(systemId);
  const m = machine.data;
  if (m === undefined)
    return machine.error === null ? (
      <p role="status">Loading…</p>
    ) : (
      <ErrorText error={machine.error} />
    );
  return (
    <div>
      <p>
        <Link to="/machines">← Machines</Link>
      </p>
      <div className="page-header">
        <h1>{m.fqdn}</h1>
        <span className="status-pill" aria-label="Status">
          {m.status_name}
          {m.locked ? ' (locked)' : ''}
        </span>
      </div>
      {m.status_message === null ? null : <p className="sub">{m.status_message}</p>}
      <MachineActions machine={m} />
      <div className="columns">
        <section className="card" aria-labelledby="hw-title">
          <h2 id="hw-title">Hardware</h2>
          <dl>
            <dt>System id</dt>
            <dd>{m.system_id}</dd>
            <dt>Owner</dt>
            <dd>{m.owner ?? '—'}</dd>
            <dt>Architecture</dt>
            <dd>{m.architecture}</dd>
            <dt>CPU</dt>
            <dd>
              {m.cpu_count} cores{' '}
              {m.hardware_info.cpu_model === '' ? '' : `(${m.hardware_info.cpu_model})`}
            </dd>
            <dt>Memory</dt>
            <dd>{formatMemoryMiB(m.memory)}</dd>
            <dt>Power</dt>
            <dd>
              {m.power_state} ({m.power_type || 'none'})
            </dd>
            <dt>OS</dt>
            <dd>{m.osystem === '' ? '—' : `${m.osystem}/${m.distro_series}`}</dd>
            <dt>Zone / pool</dt>
            <dd>
              {m.zone.name} / {m.pool.name}
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="if-title">
          <h2 id="if-title">Interfaces</h2>
          <table className="list" aria-labelledby="if-title">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">MAC</th>
              </tr>
            </thead>
            <tbody>
              {m.interface_set.map((i) => (
                <tr key={i.id}>
                  <td>{i.name}</td>
                  <td>{i.type}</td>
                  <td>{i.mac_address}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2 id="storage-title">Storage</h2>
          <table className="list" aria-labelledby="storage-title">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Model</th>
                <th scope="col">Size</th>
              </tr>
            </thead>
            <tbody>
              {m.blockdevice_set.length === 0 ? (
                <tr>
                  <td colSpan={3}>No disks known yet (commission the machine).</td>
                </tr>
              ) : null}
              {m.blockdevice_set.map((d) => (
                <tr key={d.id}>
                  <td>{d.path}</td>
                  <td>{d.model}</td>
                  <td>{formatBytes(d.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <ErrorText error={details.error} />
        <ol className="timeline">
          {(details.data?.timeline ?? []).map((t) => (
            <li key={`${t.started_at}-${t.phase}`}>
              <strong>{t.phase}</strong>{' '}
              <span className="sub">
                {new Date(t.started_at).toLocaleString()} · {seconds(t.duration_seconds)}
              </span>
              {t.description === '' ? null : <div>{t.description}</div>}
            </li>
          ))}
        </ol>
      </section>
      <section className="card" aria-labelledby="events-title">
        <h2 id="events-title">Events</h2>
        <table className="list" aria-labelledby="events-title">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Level</th>
              <th scope="col">Event</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {(events.data?.events ?? []).map((e) => (
              <tr key={e.id}>
                <td>{e.created}</td>
                <td>{e.level}</td>
                <td>{e.type}</td>
                <td>{e.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
