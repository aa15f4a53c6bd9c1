import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type SyntheticEvent } from 'react';
import { del, post, put } from '../shared/api-client.js';
import { ErrorText } from '../shared/Banner.js';
import type { ResourceSummary, Selection } from './image-types.js';

/** Debian/Ubuntu port names: the architectures an Ubuntu stream can carry. */
const UBUNTU_ARCHES = ['amd64', 'arm64', 'armhf', 'i386', 'ppc64el', 's390x'];

interface Props {
  readonly sourceId: number;
  readonly selections: readonly Selection[];
  readonly resources: readonly ResourceSummary[];
  readonly readOnly: boolean;
}

function initialMatrix(selections: readonly Selection[]): Map<string, Set<string>> {
  return new Map(
    selections.filter((s) => s.os === 'ubuntu').map((s) => [s.release, new Set(s.arches)]),
  );
}

/**
 * The releases × architectures matrix. Saving does what the MAAS UI does: stop a running import,
 * upsert one ubuntu selection per release, delete the releases left without an arch, import.
 */
export function UbuntuSelection({ sourceId, selections, resources, readOnly }: Props) {
  const client = useQueryClient();
  const [matrix, setMatrix] = useState(() => initialMatrix(selections));
  const [newRelease, setNewRelease] = useState('');
  const releases = useMemo(() => {
    const names = new Set(matrix.keys());
    for (const r of resources)
      if (r.type === 'Synced' && r.name.startsWith('ubuntu/')) names.add(r.name.slice(7));
    return [...names].sort();
  }, [matrix, resources]);
  const arches = useMemo(() => {
    const used = new Set(['amd64', 'arm64']);
    for (const set of matrix.values()) for (const a of set) used.add(a);
    return UBUNTU_ARCHES.filter((a) => used.has(a)).concat(
      [...used].filter((a) => !UBUNTU_ARCHES.includes(a)),
    );
  }, [matrix]);

  const toggle = (release: string, arch: string) => {
    const next = new Map(matrix);
    const set = new Set(next.get(release) ?? []);
    if (set.has(arch)) set.delete(arch);
    else set.add(arch);
    next.set(release, set);
    setMatrix(next);
  };
  const addRelease = (event: SyntheticEvent) => {
    event.preventDefault();
    const name = newRelease.trim().toLowerCase();
    if (name === '' || matrix.has(name)) return;
    setMatrix(new Map(matrix).set(name, new Set()));
    setNewRelease('');
  };
  const save = useMutation({
    mutationFn: async () => {
      await post('boot-resources/?op=stop_import');
      const base = `boot-sources/${String(sourceId)}/selections/`;
      for (const [release, set] of matrix) {
        const existing = selections.find((s) => s.os === 'ubuntu' && s.release === release);
        const fields = {
          os: 'ubuntu',
          release,
          arches: [...set].sort(),
          subarches: ['*'],
          labels: ['*'],
        };
        if (set.size === 0) {
          if (existing !== undefined) await del(`${base}${String(existing.id)}/`);
        } else if (existing === undefined) await post(base, fields);
        else await put(`${base}${String(existing.id)}/`, fields);
      }
      await post('boot-resources/?op=import');
    },
    onSettled: () =>
      client.invalidateQueries({
        predicate: (q) =>
          ['selections', 'boot-resources', 'image-import-progress'].includes(String(q.queryKey[0])),
      }),
  });

  return (
    <section className="card" aria-labelledby="ubuntu-title">
      <h2 id="ubuntu-title">Ubuntu images</h2>
      <table className="matrix">
        <caption>Select the releases and architectures to import</caption>
        <thead>
          <tr>
            <th scope="col">Release</th>
            {arches.map((a) => (
              <th scope="col" key={a}>
                {a}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {releases.map((release) => (
            <tr key={release}>
              <th scope="row">{release}</th>
              {arches.map((arch) => (
                <td key={arch}>
                  <input
                    type="checkbox"
                    aria-label={`${release} ${arch}`}
                    disabled={readOnly}
                    checked={matrix.get(release)?.has(arch) === true}
                    onChange={() => {
                      toggle(release, arch);
                    }}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {readOnly ? null : (
        <div className="row">
          <form onSubmit={addRelease} className="inline-form">
            <label>
              Add release
              <input
                placeholder="e.g. noble"
                value={newRelease}
                onChange={(e) => {
                  setNewRelease(e.target.value);
                }}
              />
            </label>
            <button type="submit">Add</button>
          </form>
          <button
            type="button"
            className="primary"
            disabled={save.isPending}
            onClick={() => {
              save.mutate();
            }}
          >
            Save selection
          </button>
        </div>
      )}
      {save.isSuccess ? <p role="status">Selection saved; import started.</p> : null}
      <ErrorText error={save.error} />
    </section>
  );
}
