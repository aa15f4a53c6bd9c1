import type { KilnClient } from './kiln-client.js';

export interface TimelineEntry {
  readonly phase: string;
  readonly description: string;
  readonly started_at: string;
  readonly duration_seconds: number | null;
}

export interface PhaseSummary {
  readonly phase: string;
  readonly seconds: number;
}

/**
 * Events that begin a lifecycle phase; every other event (boot configs served, cloud-init and
 * installer stages, script signals) belongs to the phase it happens in.
 */
const PHASE_STARTS: readonly (readonly [RegExp, string])[] = [
  [/^Enlisted$/, 'enlisting (ephemeral boot, scripts)'],
  [/^Commissioning$/, 'commissioning (power on, boot, scripts)'],
  [/^Commissioned$/, 'ready'],
  [/^Allocated$/, 'allocated'],
  [/^Deploying$/, 'deploying: power on, ephemeral boot'],
  [/^cmd-install$/, 'deploying: installer'],
  [/^Deployed$/, 'deployed: reboot, first boot'],
  [/^kiln-e2e-marker$/, 'deployed'],
  [/^Disk erasing$/, 'erasing (power cycle, boot, wipe)'],
  [/^(Released|Releasing|Disk erasing complete)$/, 'ready'],
  [/^Failed/, 'failed'],
];

/**
 * The per-phase timeline of one machine from Kiln's own events (`machines/<id>/?op=details`
 * `timeline`), folded into lifecycle phases so that it reads like "enlisting 70 s,
 * commissioning 180 s, deploying: installer 220 s".
 */
export async function machineTimeline(api: KilnClient, systemId: string): Promise<PhaseSummary[]> {
  const details = (await api.get(`machines/${systemId}/?op=details`)) as {
    timeline?: readonly TimelineEntry[];
  };
  return summarisePhases(details.timeline ?? []);
}

export function summarisePhases(timeline: readonly TimelineEntry[]): PhaseSummary[] {
  const out: { phase: string; seconds: number }[] = [];
  for (const entry of timeline) {
    const starts = PHASE_STARTS.find(([pattern]) => pattern.test(entry.phase))?.[1];
    const last = out.at(-1);
    const seconds = entry.duration_seconds ?? 0;
    if (last !== undefined && (starts === undefined || starts === last.phase))
      last.seconds += seconds;
    else out.push({ phase: starts ?? entry.phase, seconds });
  }
  return out;
}

export function formatTimeline(name: string, phases: readonly PhaseSummary[]): string {
  const total = phases.reduce((s, p) => s + p.seconds, 0);
  const lines = phases.map((p) => `  ${p.phase.padEnd(40)} ${p.seconds.toFixed(1).padStart(8)} s`);
  return [
    `timeline of ${name}:`,
    ...lines,
    `  ${'total'.padEnd(40)} ${total.toFixed(1).padStart(8)} s`,
  ].join('\n');
}
