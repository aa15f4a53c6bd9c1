import type { ControllerService } from '@kiln/protocol';

export interface Health {
  readonly alive: boolean;
  /** `Alive`, `Dead`, or `Degraded: tftp dead` when the controller beats but a service is unwell. */
  readonly text: string;
  /** CSS class: green when all is well, blue when degraded, red when dead. */
  readonly className: string;
}

/**
 * Health from the controller's main service (`rackd` / `regiond`): the region marks it dead when
 * no heartbeat arrived for three periods. Other services only degrade a live controller.
 */
export function controllerHealth(main: string, services: readonly ControllerService[]): Health {
  const core = services.find((s) => s.name === main);
  if (core === undefined || core.status === 'dead')
    return { alive: false, text: 'Dead', className: 'status status-failed' };
  const unwell = services.filter((s) => s.status !== 'running' && s.status !== 'off');
  if (unwell.length === 0) return { alive: true, text: 'Alive', className: 'status status-synced' };
  return {
    alive: true,
    text: `Degraded: ${unwell.map((s) => `${s.name} ${s.status}`).join(', ')}`,
    className: 'status status-queued',
  };
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago"; "never" without a time. */
export function ago(iso: string | null, now: number): string {
  if (iso === null) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${String(seconds)} s ago`;
  if (seconds < 90 * 60) return `${String(Math.round(seconds / 60))} min ago`;
  if (seconds < 36 * 3600) return `${String(Math.round(seconds / 3600))} h ago`;
  return `${String(Math.round(seconds / 86400))} d ago`;
}

/** A 0..1 ratio as a whole percentage; `—` when there is nothing to divide. */
export function percent(ratio: number | null): string {
  return ratio === null ? '—' : `${(ratio * 100).toFixed(0)}%`;
}
