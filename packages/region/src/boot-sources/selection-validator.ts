import type { BootSourceRow } from './boot-sources-repository.js';

export interface SelectionCandidate {
  readonly os: string;
  readonly release: string;
  readonly arches: readonly string[];
  readonly subarches: readonly string[];
  readonly labels: readonly string[];
}

/**
 * Checks a selection against what the source offers. MAAS validates against its cache of the
 * source's products ("OS X with release Y has no available images for download"); that cache
 * arrives with the image-import work, which supplies a real validator here. Until then the
 * default accepts every selection: this is a deliberate seam, not a check.
 */
export interface SelectionValidator {
  /** Problems as MAAS form errors ({field: [messages]}); an empty object means acceptable. */
  validate(source: BootSourceRow, selection: SelectionCandidate): Promise<Record<string, string[]>>;
}

export const acceptAllSelections: SelectionValidator = {
  validate: () => Promise.resolve({}),
};
