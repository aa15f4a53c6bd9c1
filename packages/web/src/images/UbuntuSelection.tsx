import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { del, post, put } from '../shared/api-client.js';
import { ErrorText } from '../shared/Banner.js';
import type { BootSourceOffer, ResourceSummary, Selection } from './image-types.js';
import {
  cellSelectable,
  matrixArches,
  matrixRows,
  offerKnown,
  selectionMatrix,
} from './offer-matrix.js';

interface Props {
  readonly sourceId: number;
  readonly selections: readonly Selection[];
  readonly resources: readonly ResourceSummary[];
  /** What the source offers (cached or just fetched by Connect); undefined while loading. */
  readonly offer: BootSourceOffer | undefined;
  readonly readOnly: boolean;
}

/**
 * The releases × architectures matrix of what the source offers (newest release first), plus any
 * release selected or synced that the source no longer offers, so it can be un-selected. Saving
 * does what the MAAS UI does: stop a running import, upsert one ubuntu selection per release,
 * delete the releases left without an arch, import.
 */
export function UbuntuSelection({ sourceId, selections, resources, offer, readOnly }: Props) {
  const client = useQueryClient();
  const [matrix, setMatrix] = useState(() => selectionMatrix(selections));
  const saved = useMemo(() => selectionMatrix(selections), [selections]);
  const known = offerKnown(offer);
  const rows = useMemo(() => matrixRows(offer, matrix, resources), [offer, matrix, resources]);
  const arches = useMemo(() => matrixArches(offer, matrix), [offer, matrix]);

  const toggle = (release: string, arch: string) => {
    const next = new Map(matrix);
    const set = new Set(next.get(release) ?? []);
    if (set.has(arch)) set.delete(arch);
    else set.add(arch);
    next.set(release, set);
    setMatrix(next);
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
        <caption>
          {known
            ? 'Releases and architectures the source offers'
            : 'Connect to the source to list the releases and architectures it offers'}
        </caption>
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
          {rows.map((row) => (
            <tr key={row.release}>
              <th scope="row">
                {row.release}
                {row.title !== '' ? <span className="hint"> {row.title}</span> : null}
                {row.offered.size === 0 && known ? (
                  <span className="hint"> (not offered by the source)</span>
                ) : null}
              </th>
              {arches.map((arch) => {
                const checked = matrix.get(row.release)?.has(arch) === true;
                if (!cellSelectable(row, arch, known, saved))
                  return (
                    <td key={arch} className="not-offered">
                      <span aria-hidden="true">—</span>
                      <span className="sr-only">
                        {row.release} {arch} not offered
                      </span>
                    </td>
                  );
                return (
                  <td key={arch}>
                    <input
                      type="checkbox"
                      aria-label={`${row.release} ${arch}`}
                      disabled={readOnly}
                      checked={checked}
                      onChange={() => {
                        toggle(row.release, arch);
                      }}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {readOnly ? null : (
        <div className="row">
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
