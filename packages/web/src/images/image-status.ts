import { formatRate } from '../shared/format.js';
import type { ImportProgress, KilnEvent, ResourceDetail } from './image-types.js';

export type ImageState = 'synced' | 'downloading' | 'queued' | 'failed' | 'not-imported';

export interface ImageStatus {
  readonly state: ImageState;
  readonly text: string;
  readonly percent?: number;
}

/** Import errors recorded since the last import started or finished cleanly, newest first. */
export function currentImportErrors(events: readonly KilnEvent[]): KilnEvent[] {
  const errors: KilnEvent[] = [];
  // The API lists newest first; stop at the newest clean finish.
  for (const event of events) {
    if (event.type === 'Image import finished') break;
    if (event.type === 'Image import error') errors.push(event);
  }
  return errors;
}

function newestSet(detail: ResourceDetail) {
  const versions = Object.keys(detail.sets).sort().reverse();
  return versions[0] === undefined ? undefined : detail.sets[versions[0]];
}

/** What one image (all its kernels' resources) looks like right now. */
export function imageStatus(
  details: readonly (ResourceDetail | undefined)[],
  progress: ImportProgress | null | undefined,
  errors: readonly KilnEvent[],
): ImageStatus {
  const importing = progress?.importing === true;
  const known = details.filter((d): d is ResourceDetail => d !== undefined);
  const sets = known.map(newestSet);
  if (known.length > 0 && sets.every((s) => s?.complete === true))
    return { state: 'synced', text: 'Synced' };
  const reason = errors[0]?.description;
  if (known.length === 0 || sets.every((s) => s === undefined)) {
    if (importing) return { state: 'queued', text: 'Queued for download' };
    if (reason !== undefined) return { state: 'failed', text: `Failed: ${reason}` };
    return { state: 'not-imported', text: 'Selected, not imported yet' };
  }
  let size = 0;
  let done = 0;
  for (const set of sets) {
    if (set === undefined) continue;
    size += set.size;
    done += set.complete ? set.size : (set.size * (set.progress ?? 0)) / 100;
  }
  const percent = size === 0 ? 0 : Math.floor((done * 1000) / size) / 10;
  if (importing) {
    const rate = progress.rate;
    return {
      state: 'downloading',
      text: `Downloading ${percent.toFixed(1)}%${rate > 0 ? ` at ${formatRate(rate)}` : ''}`,
      percent,
    };
  }
  if (reason !== undefined)
    return { state: 'failed', text: `Failed at ${percent.toFixed(1)}%: ${reason}`, percent };
  return {
    state: 'queued',
    text: `Partially downloaded (${percent.toFixed(1)}%), waiting for the next import`,
    percent,
  };
}
