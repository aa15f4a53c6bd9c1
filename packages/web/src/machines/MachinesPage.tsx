import { useMemo, useState } from 'react';
import { ErrorText } from '../shared/Banner.js';
import { formatMemoryMiB } from '../shared/format.js';
import { Link } from '../shared/router.js';
import { AddMachine } from './AddMachine.js';
import { useMachines } from './machine-queries.js';

export function MachinesPage() {
  const machines = useMachines();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const [arch, setArch] = useState('');
  const list = useMemo(() => machines.data ?? [], [machines.data]);
  const statuses = useMemo(() => [...new Set(list.map((m) => m.status_name))].sort(), [list]);
  const arches = useMemo(() => [...new Set(list.map((m) => m.architecture))].sort(), [list]);
  const needle = search.trim().toLowerCase();
  const shown = list.filter(
    (m) =>
      (status === '' || m.status_name === status) &&
      (arch === '' || m.architecture === arch) &&
      (needle === '' ||
        [m.hostname, m.system_id, m.owner ?? '', ...m.tag_names, ...m.ip_addresses].some((v) =>
          v.toLowerCase().includes(needle),
        )),
  );
  return (
    <div>
      <div className="page-header">
        <h1>Machines</h1>
        <span>
          {shown.length} of {list.length} machines
        </span>
      </div>
      <div className="filters" role="search">
        <label>
          Search
          <input
            type="search"
            placeholder="Hostname, system id, owner, tag, IP"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
            }}
          />
        </label>
        <label>
          Status
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
            }}
          >
            <option value="">All</option>
            {statuses.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Architecture
          <select
            value={arch}
            onChange={(e) => {
              setArch(e.target.value);
            }}
          >
            <option value="">All</option>
            {arches.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
      </div>
      <ErrorText error={machines.error} />
      <table className="list" aria-label="Machines">
        <thead>
          <tr>
            <th scope="col">Hostname</th>
            <th scope="col">Status</th>
            <th scope="col">Owner</th>
            <th scope="col">Architecture</th>
            <th scope="col">Cores</th>
            <th scope="col">Memory</th>
            <th scope="col">Disk</th>
            <th scope="col">Power</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((m) => (
            <tr key={m.system_id}>
              <td>
                <Link to={`/machine/${m.system_id}`}>{m.hostname}</Link>
                {m.locked ? (
                  <span className="tag" aria-label="locked">
                    {' '}
                    🔒
                  </span>
                ) : null}
                <div className="sub">{m.system_id}</div>
              </td>
              <td>
                {m.status_name}
                {m.status_message === null ? null : <div className="sub">{m.status_message}</div>}
              </td>
              <td>{m.owner ?? '—'}</td>
              <td>{m.architecture}</td>
              <td>{m.cpu_count}</td>
              <td>{formatMemoryMiB(m.memory)}</td>
              <td>{m.storage > 0 ? `${(m.storage / 1000).toFixed(1)} GB` : '—'}</td>
              <td>
                <span className={`power power-${m.power_state}`}>{m.power_state}</span>{' '}
                <span className="sub">({m.power_type || 'none'})</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddMachine />
    </div>
  );
}
