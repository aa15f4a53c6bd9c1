import type { MigrationPlan, MigrationResult } from '@kiln/region';
import { formatBytes } from '../../output/index.js';

function list(values: readonly string[]): string {
  return values.join(',');
}

function bytes(n: number): string {
  return `${formatBytes(n)} (${n} bytes)`;
}

/** The plan as the operator reads it before anything is copied (also the whole of a dry run). */
export function renderPlan(
  plan: MigrationPlan,
  toCopy: number,
  free: number,
  store: string,
): string[] {
  const { info, sources, selections, settings } = plan.inventory;
  const lines = [
    `MAAS database: ${info.version}${info.lastMigration === null ? '' : `, last migration ${info.lastMigration}`}`,
    `Boot sources (${sources.length}):`,
    ...sources.map(
      (s) =>
        `  ${s.url} keyring: ${s.keyringData.length > 0 ? `${s.keyringData.length} bytes of keyring data` : `file ${s.keyringFilename} on the MAAS host`}`,
    ),
    `Selections (${selections.length}):`,
    ...selections.map(
      (s) =>
        `  ${s.os}/${s.release} arches=${list(s.arches)} subarches=${list(s.subarches)} labels=${list(s.labels)}`,
    ),
    `Settings: ${
      Object.entries(settings)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(', ') || 'none set in MAAS'
    }`,
    `Resources (${plan.resources.length}):`,
  ];
  for (const r of plan.resources) {
    const kind = r.type === 0 ? 'synced' : 'uploaded';
    const taken = r.candidates[0];
    const size = taken?.files.reduce((sum, f) => sum + f.size, 0) ?? 0;
    lines.push(
      `  ${r.resource.name} ${r.resource.architecture} (${kind}${r.resource.baseImage === '' ? '' : `, base ${r.resource.baseImage}`}): ` +
        (taken === undefined
          ? 'NOT MIGRATED, no complete set'
          : `set ${taken.version} ${taken.label}, ${taken.files.length} files, ${formatBytes(size)}`),
    );
    for (const s of r.skipped)
      lines.push(`      skipped set ${s.version}: ${s.reasons.join('; ')}`);
    for (const note of r.notes) lines.push(`      note: ${note}`);
  }
  lines.push(
    `Space: ${bytes(plan.bytesNeeded)} needed for ${plan.blobs.size} distinct files (sum over distinct sha256); ${bytes(toCopy)} still to copy; ${bytes(free)} free in ${store}`,
  );
  return lines;
}

/** Summary after a run; problems and notes go to stderr (`warnings`). */
export function renderSummary(result: MigrationResult): { lines: string[]; warnings: string[] } {
  const lines = [
    `Migrated ${result.chosen.length} images: ${result.copied} files copied (${formatBytes(result.bytesRead)} read${result.refetched > 0 ? `, ${result.refetched} fetched upstream` : ''}), ${result.present} already in place.`,
    ...result.chosen.map((c) => `  ${c.name} ${c.architecture} ${c.version}`),
    ...result.resumed.map((r) => `Resumed ${r.sha256} at byte ${r.from}.`),
  ];
  const a = result.applied;
  if (a !== null)
    lines.push(
      `Kiln: ${a.resourcesCreated} resources and ${a.setsCreated} sets created (${a.setsPresent} sets already there), ${a.sourcesCreated} boot sources created, ${a.sourcesUpdated} updated, ${a.selections} selections, settings: ${a.settings.join(', ') || 'none'}.`,
    );
  const warnings = [
    ...result.problems.map(
      (p) => `PROBLEM ${p.kind} ${p.sha256}: ${p.message} (${p.files.join('; ')})`,
    ),
    ...result.notMigrated.map((n) => `NOT MIGRATED ${n}`),
    ...(a?.conflicts ?? []).map((c) => `CONFLICT ${c}`),
    ...(a?.keyringNotes ?? []).map((k) => `KEYRING ${k}`),
  ];
  if (a?.settings.includes('http_proxy') === true)
    warnings.push(
      'PROXY http_proxy was copied as a setting; Kiln fetches images through the http_proxy/https_proxy environment of the region process, so set it there too.',
    );
  return { lines, warnings };
}
