import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { del, post, put } from '../shared/api-client.js';
import { ErrorText } from '../shared/Banner.js';
import type { BootSourceOffer, ResourceSummary, Selection } from './image-types.js';

/** Debian/Ubuntu port names in the order the matrix shows them; others follow, sorted. */
const UBUNTU_ARCHES = ['amd64', 'arm64', 'armhf', 'i386', 'ppc64el', 's390x'];

interface Props {
  readonly sourceId: number;
  readonly selections: readonly Selection[];
  readonly resources: readonly ResourceSummary[];
  /** What the source offers (cached or just fetched by Connect); undefined while loading. */
  readonly offer: BootSourceOffer | undefined;
  readonly readOnly: boolean;
}

interface MatrixRow {
  readonly release: string;
  readonly title: string;
  /** Arches the source offers for this release (empty: the source does not offer it). */
  readonly offered: ReadonlySet<string>;
}

function initialMatrix(selections: readonly Selection[]): Map<string, Set<string>> {
  return new Map(
    selections.filter((s) => s.os === 'ubuntu').map((s) => [s.release, new Set(s.arches)]),
  );
}

function archOrder(a: string, b: string): number {
  const ia = UBUNTU_ARCHES.indexOf(a);
  const ib = UBUNTU_ARCHES.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a.localeCompare(b);
}

/**
 * The releases × architectures matrix of what the source offers (newest release first), plus any
 * release selected or synced that the source no longer offers, so it can be un-selected. Saving
 * does what the MAAS UI does: stop a running import, upsert one ubuntu selection per release,
 * delete the releases left without an arch, import.
 */
export function UbuntuSelection({ sourceId, selections, resources, offer, readOnly }: Props) {
  const client = useQueryClient();
  const [matrix, setMatrix] = useState(() => initialMatrix(selections));
  const saved = useMemo(() => initialMatrix(selections), [selections]);
  // Until the source was read once, nothing is known to be missing: every cell is selectable.
  const known = offer !== undefined && offer.updated !== null;
  const offered = useMemo(() => (offer?.releases ?? []).filter((r) => r.os === 'ubuntu'), [offer]);
  const rows = useMemo((): MatrixRow[] => {
    const out: MatrixRow[] = [...offered]
      .sort(
        (a, b) =>
          b.release_title.localeCompare(a.release_title) || a.release.localeCompare(b.release),
      )
      .map((r) => ({
        release: r.release,
        title: r.release_title,
        offered: new Set(r.arches),
      }));
    const known = new Set(out.map((r) => r.release));
    const extra = new Set(matrix.keys());
    for (const r of resources)
      if (r.type === 'Synced' && r.name.startsWith('ubuntu/')) extra.add(r.name.slice(7));
    for (const release of [...extra].sort())
      if (!known.has(release)) out.push({ release, title: '', offered: new Set() });
    return out;
  }, [offered, matrix, resources]);
  const arches = useMemo(() => {
    const used = new Set<string>();
    for (const r of offered) for (const a of r.arches) used.add(a);
    for (const set of matrix.values()) for (const a of set) used.add(a);
    if (used.size === 0) used.add('amd64');
    return [...used].sort(archOrder);
  }, [offered, matrix]);

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
                // A cell the source does not offer has no checkbox, unless it was selected
                // (then it stays, so it can be un-selected).
                if (known && !row.offered.has(arch) && saved.get(row.release)?.has(arch) !== true)
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
