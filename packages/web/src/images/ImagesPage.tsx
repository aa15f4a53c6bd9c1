import { useMemo } from 'react';
import { ErrorText } from '../shared/Banner.js';
import { CustomUpload } from './CustomImages.js';
import { ImageBanners } from './ImageBanners.js';
import { ImagesHeader } from './ImagesHeader.js';
import { ImageTable, type ImageRow } from './ImageTable.js';
import { currentImportErrors } from './image-status.js';
import type { ResourceDetail, ResourceSummary, Selection } from './image-types.js';
import {
  useBootResources,
  useBootSources,
  useImportEvents,
  useImportProgress,
  useResourceDetails,
  useSelections,
  useSourceOffer,
} from './image-queries.js';
import { OtherSelection } from './OtherSelection.js';
import { SourcePanel } from './SourcePanel.js';
import { UbuntuSelection } from './UbuntuSelection.js';

const BOOTLOADER_TYPES = new Set(['uefi', 'pxe', 'open-firmware']);

/** Groups resources (one per kernel flavour) into images: name × base architecture. */
function rowsFor(
  resources: readonly ResourceSummary[],
  selections: readonly Selection[],
  keep: (os: string) => boolean,
): ImageRow[] {
  const rows = new Map<string, { name: string; arch: string; resources: ResourceSummary[] }>();
  const add = (name: string, arch: string) => {
    const key = `${name}|${arch}`;
    let row = rows.get(key);
    if (row === undefined) rows.set(key, (row = { name, arch, resources: [] }));
    return row;
  };
  for (const s of selections)
    if (keep(s.os)) for (const arch of s.arches) add(`${s.os}/${s.release}`, arch);
  for (const r of resources) {
    const [os = '', release = ''] = r.name.split('/');
    // Bootloaders (<loader>/<uefi|pxe|open-firmware>) are plumbing, not images to deploy.
    if (r.type !== 'Synced' || !keep(os) || BOOTLOADER_TYPES.has(release)) continue;
    add(r.name, r.architecture.split('/')[0] ?? r.architecture).resources.push(r);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, row]) => ({ key, ...row }));
}

export function ImagesPage({ isAdmin }: { isAdmin: boolean }) {
  const sources = useBootSources(isAdmin);
  const source = sources.data?.[0];
  const selections = useSelections(source?.id);
  const offer = useSourceOffer(isAdmin ? source?.id : undefined);
  const resources = useBootResources();
  const progress = useImportProgress();
  const events = useImportEvents();
  const list = useMemo(() => resources.data ?? [], [resources.data]);
  const detailQueries = useResourceDetails(list.map((r) => r.id));
  const details = new Map<number, ResourceDetail>();
  for (const q of detailQueries) if (q.data !== undefined) details.set(q.data.id, q.data);
  const errors = currentImportErrors(events.data ?? []);
  const sourceCount = sources.data?.length ?? 0;
  const readOnly = !isAdmin || sourceCount > 1;
  const busy = progress.data?.importing === true;
  const sel = selections.data ?? [];
  const ubuntuRows = rowsFor(list, sel, (os) => os === 'ubuntu');
  const otherRows = rowsFor(list, sel, (os) => os !== 'ubuntu' && os !== 'custom' && os !== '');
  const customRows: ImageRow[] = list
    .filter((r) => r.type === 'Uploaded')
    .map((r) => ({
      key: String(r.id),
      name: r.title === undefined || r.title === '' ? r.name : `${r.title} (${r.name})`,
      arch: r.architecture,
      resources: [r],
    }));
  const table = { details, progress: progress.data, errors };
  return (
    <div className="images-page">
      <ImagesHeader isAdmin={isAdmin} />
      <ImageBanners sourceCount={sourceCount} />
      <ErrorText error={sources.error ?? resources.error} />
      {source === undefined ? (
        isAdmin && sources.isSuccess ? (
          <p>No boot source is configured.</p>
        ) : null
      ) : (
        <SourcePanel key={source.id} source={source} readOnly={readOnly} busy={busy} />
      )}
      {source !== undefined && selections.isSuccess ? (
        <UbuntuSelection
          key={sel.map((s) => `${s.release}:${s.arches.join(',')}`).join(';')}
          sourceId={source.id}
          selections={sel}
          resources={list}
          offer={offer.data}
          readOnly={readOnly}
        />
      ) : null}
      <section className="card" aria-labelledby="ubuntu-status-title">
        <h2 id="ubuntu-status-title">Ubuntu image status</h2>
        <ImageTable
          title="Ubuntu images"
          rows={ubuntuRows}
          {...table}
          empty="No Ubuntu images selected or synced."
        />
      </section>
      <section className="card" aria-labelledby="other-title">
        <h2 id="other-title">Other images</h2>
        <ImageTable
          title="Other images"
          rows={otherRows}
          {...table}
          empty="No other images selected or synced."
        />
        {source !== undefined && !readOnly ? (
          <OtherSelection sourceId={source.id} offer={offer.data} />
        ) : null}
      </section>
      <section className="card" aria-labelledby="custom-title">
        <h2 id="custom-title">Custom images</h2>
        <ImageTable
          title="Custom images"
          rows={customRows}
          {...table}
          empty="No custom images uploaded."
        />
        {isAdmin ? <CustomUpload /> : null}
      </section>
    </div>
  );
}
