import type { KilnClient } from './kiln-client.js';

interface TimelineEntry {
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
 * The per-phase timeline of one machine from Kiln's own events (`machines/<id>/?op=details`
 * `timeline`): consecutive entries of one phase are merged, so the answer reads like
 * "enlisting 40 s, commissioning 75 s, deploying 160 s".
 */
export async function machineTimeline(api: KilnClient, systemId: string): Promise<PhaseSummary[]> {
  const details = (await api.get(`machines/${systemId}/?op=details`)) as {
    timeline?: readonly TimelineEntry[];
  };
  const out: { phase: string; seconds: number }[] = [];
  for (const entry of details.timeline ?? []) {
    const last = out.at(-1);
    const seconds = entry.duration_seconds ?? 0;
    if (last !== undefined && last.phase === entry.phase) last.seconds += seconds;
    else out.push({ phase: entry.phase, seconds });
  }
  return out;
}

export function formatTimeline(name: string, phases: readonly PhaseSummary[]): string {
  const total = phases.reduce((s, p) => s + p.seconds, 0);
  const lines = phases.map((p) => `  ${p.phase.padEnd(24)} ${p.seconds.toFixed(1).padStart(8)} s`);
  return [
    `timeline of ${name}:`,
    ...lines,
    `  ${'total'.padEnd(24)} ${total.toFixed(1).padStart(8)} s`,
  ].join('\n');
}
