import { useState } from 'react';
import { formatBytes } from '../shared/format.js';
import { imageStatus } from './image-status.js';
import type { ImportProgress, KilnEvent, ResourceDetail, ResourceSummary } from './image-types.js';
import { ManifestView } from './ManifestView.js';

export interface ImageRow {
  readonly key: string;
  readonly name: string;
  readonly arch: string;
  readonly resources: readonly ResourceSummary[];
}

interface Props {
  readonly title: string;
  readonly rows: readonly ImageRow[];
  readonly details: ReadonlyMap<number, ResourceDetail>;
  readonly progress: ImportProgress | null | undefined;
  readonly errors: readonly KilnEvent[];
  readonly empty: string;
}

function newest(detail: ResourceDetail | undefined) {
  if (detail === undefined) return undefined;
  const version = Object.keys(detail.sets).sort().reverse()[0];
  return version === undefined ? undefined : detail.sets[version];
}

/** One row per image (name × arch); rows are keyed by image so polling never remounts them. */
export function ImageTable({ title, rows, details, progress, errors, empty }: Props) {
  const [manifest, setManifest] = useState<{ title: string; sha256: string } | null>(null);
  return (
    <>
      <table className="list" aria-label={title}>
        <thead>
          <tr>
            <th scope="col">Image</th>
            <th scope="col">Architecture</th>
            <th scope="col">Version</th>
            <th scope="col">Size</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={6}>{empty}</td>
            </tr>
          ) : null}
          {rows.map((row) => {
            const rowDetails = row.resources.map((r) => details.get(r.id));
            const status = imageStatus(rowDetails, progress, errors);
            const sets = rowDetails.map(newest);
            const size = sets.reduce((n, s) => n + (s?.size ?? 0), 0);
            const manifestFile = sets
              .flatMap((s) => Object.values(s?.files ?? {}))
              .find((f) => f.filename.endsWith('manifest') && f.complete);
            return (
              <tr key={row.key} data-state={status.state}>
                <td>{row.name}</td>
                <td>{row.arch}</td>
                <td>{sets[0]?.version ?? '—'}</td>
                <td>{size === 0 ? '—' : formatBytes(size)}</td>
                <td>
                  <span className={`status status-${status.state}`}>{status.text}</span>
                  {status.state === 'downloading' ? (
                    <progress
                      max={100}
                      value={status.percent ?? 0}
                      aria-label={`${row.name} ${row.arch} download progress`}
                    />
                  ) : null}
                </td>
                <td>
                  {manifestFile === undefined ? null : (
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        setManifest({
                          title: `${row.name} ${row.arch}`,
                          sha256: manifestFile.sha256,
                        });
                      }}
                    >
                      View manifest
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {manifest === null ? null : (
        <ManifestView
          title={manifest.title}
          sha256={manifest.sha256}
          onClose={() => {
            setManifest(null);
          }}
        />
      )}
    </>
  );
}
