import { availableActions, type MachineAction } from '@kiln/protocol';
import { useState, type SyntheticEvent } from 'react';
import { ErrorText } from '../shared/Banner.js';
import type { FormFields } from '../shared/api-client.js';
import { useMachineAction } from './machine-queries.js';
import type { Machine } from './machine-types.js';

const LABELS: Partial<Record<MachineAction, string>> = {
  commission: 'Commission',
  allocate: 'Allocate',
  deploy: 'Deploy',
  release: 'Release',
  abort: 'Abort',
  mark_broken: 'Mark broken',
  mark_fixed: 'Mark fixed',
  lock: 'Lock',
  unlock: 'Unlock',
};
const WITH_FORM = new Set(['deploy', 'release', 'mark_broken']);

function toBase64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** Buttons for what the machine's status allows (the same rules the region enforces). */
export function MachineActions({ machine }: { machine: Machine }) {
  const action = useMachineAction(machine.system_id);
  const [open, setOpen] = useState<string | null>(null);
  const [series, setSeries] = useState('');
  const [kernel, setKernel] = useState('');
  const [userData, setUserData] = useState('');
  const [erase, setErase] = useState({ erase: false, secure_erase: false, quick_erase: false });
  const [comment, setComment] = useState('');
  const allowed = new Set<string>(
    availableActions({
      status: machine.status,
      systemId: machine.system_id,
      locked: machine.locked,
    }),
  );
  const run = (op: string, fields: FormFields = {}) => {
    action.mutate(
      { op, fields },
      {
        onSuccess: () => {
          setOpen(null);
        },
      },
    );
  };
  const click = (op: string) => {
    if (WITH_FORM.has(op)) setOpen(open === op ? null : op);
    else run(op);
  };
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (open === 'deploy') {
      run('deploy', {
        ...(series === '' ? {} : { distro_series: series }),
        ...(kernel === '' ? {} : { hwe_kernel: kernel }),
        ...(userData === '' ? {} : { user_data: toBase64(userData) }),
      });
    } else if (open === 'release')
      run('release', {
        erase: erase.erase,
        secure_erase: erase.secure_erase,
        quick_erase: erase.quick_erase,
      });
    else if (open === 'mark_broken') run('mark_broken', comment === '' ? {} : { comment });
  };
  const power = machine.power_state;
  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <div className="toolbar" role="toolbar" aria-label="Machine actions">
        {Object.entries(LABELS).map(([op, label]) => (
          <button
            key={op}
            type="button"
            disabled={!allowed.has(op) || action.isPending}
            aria-expanded={WITH_FORM.has(op) ? open === op : undefined}
            onClick={() => {
              click(op);
            }}
          >
            {label}
          </button>
        ))}
        <button
          type="button"
          disabled={power === 'on' || action.isPending}
          onClick={() => {
            run('power_on');
          }}
        >
          Power on
        </button>
        <button
          type="button"
          disabled={power === 'off' || action.isPending}
          onClick={() => {
            run('power_off');
          }}
        >
          Power off
        </button>
      </div>
      {open === null ? null : (
        <form
          onSubmit={submit}
          className="action-form"
          aria-label={`${LABELS[open as MachineAction] ?? open} options`}
        >
          {open === 'deploy' ? (
            <>
              <label>
                Release
                <input
                  placeholder="default (e.g. ubuntu/noble)"
                  value={series}
                  onChange={(e) => {
                    setSeries(e.target.value);
                  }}
                />
              </label>
              <label>
                Kernel
                <input
                  placeholder="default (e.g. ga-24.04)"
                  value={kernel}
                  onChange={(e) => {
                    setKernel(e.target.value);
                  }}
                />
              </label>
              <label>
                User data (cloud-init)
                <textarea
                  rows={4}
                  value={userData}
                  onChange={(e) => {
                    setUserData(e.target.value);
                  }}
                />
              </label>
            </>
          ) : null}
          {open === 'release'
            ? (['erase', 'secure_erase', 'quick_erase'] as const).map((key) => (
                <label className="inline" key={key}>
                  <input
                    type="checkbox"
                    checked={erase[key]}
                    onChange={(e) => {
                      setErase({ ...erase, [key]: e.target.checked });
                    }}
                  />
                  {key === 'erase'
                    ? 'Erase disks'
                    : key === 'secure_erase'
                      ? 'Secure erase'
                      : 'Quick erase'}
                </label>
              ))
            : null}
          {open === 'mark_broken' ? (
            <label>
              Comment
              <input
                value={comment}
                onChange={(e) => {
                  setComment(e.target.value);
                }}
              />
            </label>
          ) : null}
          <button type="submit" className="primary" disabled={action.isPending}>
            {`${LABELS[open as MachineAction] ?? open} machine`}
          </button>
        </form>
      )}
      <ErrorText error={action.error} />
    </section>
  );
}
