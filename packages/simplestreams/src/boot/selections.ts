import type { BootResource, Selection } from './types.js';

function matchesOne(wanted: string, actual: string): boolean {
  return wanted === '*' || wanted === actual;
}

function matchesList(wanted: readonly string[], actual: readonly string[]): boolean {
  return wanted.includes('*') || actual.some((value) => wanted.includes(value));
}

export function resourcePassesSelection(resource: BootResource, selection: Selection): boolean {
  return (
    matchesOne(selection.os, resource.os) &&
    matchesOne(selection.release, resource.release) &&
    matchesList(selection.arches, [resource.arch]) &&
    matchesList(selection.subarches, resource.subarches) &&
    matchesList(selection.labels, [resource.label])
  );
}

export interface FilterOptions {
  /** Bootloaders are always imported by MAAS, selected or not (default true). */
  readonly alwaysIncludeBootloaders?: boolean;
}

/** Keeps the resources that some selection accepts. */
export function filterBySelections(
  resources: readonly BootResource[],
  selections: readonly Selection[],
  options: FilterOptions = {},
): BootResource[] {
  const bootloaders = options.alwaysIncludeBootloaders ?? true;
  return resources.filter(
    (r) =>
      (bootloaders && r.bootloaderType !== undefined) ||
      selections.some((s) => resourcePassesSelection(r, s)),
  );
}

/** Identity of an image across sources: (os, arch, subarch, release, label). */
export function imageKey(resource: BootResource): string {
  return [resource.os, resource.arch, resource.subarch, resource.release, resource.label].join(
    '\u0000',
  );
}

/** Merges the resources of several boot sources in priority order: the earlier source wins. */
export function mergeSources(perSource: readonly (readonly BootResource[])[]): BootResource[] {
  const seen = new Set<string>();
  const out: BootResource[] = [];
  for (const resources of perSource) {
    for (const resource of resources) {
      const key = imageKey(resource);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(resource);
    }
  }
  return out;
}
