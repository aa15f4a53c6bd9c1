import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { post } from '../shared/api-client.js';
import { ErrorText } from '../shared/Banner.js';
import type { Machine } from './machine-types.js';

/** Adds a machine with manual power: Kiln will ask the operator to power it on and off. */
export function AddMachine() {
  const client = useQueryClient();
  const [hostname, setHostname] = useState('');
  const [mac, setMac] = useState('');
  const [architecture, setArchitecture] = useState('amd64/generic');
  const add = useMutation({
    mutationFn: () =>
      post<Machine>('machines/', {
        hostname,
        mac_addresses: [mac],
        architecture,
        power_type: 'manual',
      }),
    onSuccess: () => {
      setHostname('');
      setMac('');
      void client.invalidateQueries({ queryKey: ['machines'] });
    },
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form className="card inline-form" onSubmit={submit} aria-labelledby="add-machine-title">
      <h2 id="add-machine-title">Add machine</h2>
      <label>
        Hostname
        <input
          value={hostname}
          onChange={(e) => {
            setHostname(e.target.value);
          }}
        />
      </label>
      <label>
        MAC address
        <input
          required
          placeholder="52:54:00:12:34:56"
          value={mac}
          onChange={(e) => {
            setMac(e.target.value);
          }}
        />
      </label>
      <label>
        Architecture
        <input
          required
          value={architecture}
          onChange={(e) => {
            setArchitecture(e.target.value);
          }}
        />
      </label>
      <button type="submit" className="primary" disabled={add.isPending}>
        Save machine
      </button>
      {add.isSuccess ? (
        <p role="status">
          Added {add.data.hostname} ({add.data.system_id}).
        </p>
      ) : null}
      <ErrorText error={add.error} />
    </form>
  );
}
