import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { get, post } from '../shared/api-client.js';
import { ErrorText } from '../shared/Banner.js';
import { CONFIG_NAMES } from '@kiln/protocol';

/**
 * The config keys Kiln's maas/ get_config and set_config handle (spec §2.14), defined once in
 * protocol; the region's name comes first because it is what operators look for.
 */
const KEYS = ['maas_name', ...CONFIG_NAMES.filter((k) => k !== 'maas_name')];

function Setting({ name, isAdmin }: { name: string; isAdmin: boolean }) {
  const client = useQueryClient();
  const value = useQuery({
    queryKey: ['config', name],
    queryFn: () => get<unknown>(`maas/?op=get_config&name=${name}`),
  });
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (v: string) => post('maas/?op=set_config', { name, value: v }),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: ['config', name] });
      setDraft(null);
    },
  });
  const current =
    typeof value.data === 'string' ||
    typeof value.data === 'number' ||
    typeof value.data === 'boolean'
      ? String(value.data)
      : '';
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (draft !== null) save.mutate(draft);
  };
  const id = `setting-${name}`;
  return (
    <form className="setting" onSubmit={submit}>
      <label htmlFor={id}>
        <code>{name}</code>
      </label>
      {typeof value.data === 'boolean' ? (
        <input
          id={id}
          type="checkbox"
          role="switch"
          disabled={!isAdmin || save.isPending}
          checked={draft === null ? value.data : draft === 'true'}
          onChange={(e) => {
            // The switch moves at once; the region's answer settles it.
            setDraft(e.target.checked ? 'true' : 'false');
            save.mutate(e.target.checked ? 'true' : 'false');
          }}
        />
      ) : (
        <>
          <input
            id={id}
            disabled={!isAdmin}
            value={draft ?? current}
            onChange={(e) => {
              setDraft(e.target.value);
            }}
          />
          <button type="submit" disabled={!isAdmin || draft === null || save.isPending}>
            Save
          </button>
        </>
      )}
      <ErrorText error={value.error ?? save.error} />
    </form>
  );
}

export function SettingsPage({ isAdmin }: { isAdmin: boolean }) {
  return (
    <div>
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      <section className="card settings">
        {KEYS.map((k) => (
          <Setting key={k} name={k} isAdmin={isAdmin} />
        ))}
      </section>
    </div>
  );
}
