import { describe, expect, it } from 'vitest';
import { ago, controllerHealth, percent } from './controller-health.js';

const service = (name: string, status: string) => ({ name, status, status_info: '' });

describe('controllerHealth', () => {
  it('is alive when the main service runs and the rest run or are off', () => {
    expect(
      controllerHealth('rackd', [service('rackd', 'running'), service('dhcpd', 'off')]),
    ).toMatchObject({ alive: true, text: 'Alive' });
  });

  it('is dead when the main service is dead or missing, whatever the others say', () => {
    expect(controllerHealth('rackd', [service('rackd', 'dead')]).text).toBe('Dead');
    expect(controllerHealth('regiond', [service('http', 'running')]).alive).toBe(false);
  });

  it('names the unwell services of a live controller', () => {
    const health = controllerHealth('rackd', [
      service('rackd', 'running'),
      service('tftp', 'degraded'),
    ]);
    expect(health).toMatchObject({ alive: true, text: 'Degraded: tftp degraded' });
  });
});

describe('ago and percent', () => {
  const now = Date.parse('2026-01-01T12:00:00.000Z');
  it('reads ages in the largest sensible unit, never negative', () => {
    expect(ago(null, now)).toBe('never');
    expect(ago('2026-01-01T12:00:05.000Z', now)).toBe('0 s ago');
    expect(ago('2026-01-01T11:59:30.000Z', now)).toBe('30 s ago');
    expect(ago('2026-01-01T11:50:00.000Z', now)).toBe('10 min ago');
    expect(ago('2026-01-01T09:00:00.000Z', now)).toBe('3 h ago');
    expect(ago('2025-12-29T12:00:00.000Z', now)).toBe('3 d ago');
  });

  it('shows a ratio as a whole percentage, or a dash without one', () => {
    expect(percent(0.75)).toBe('75%');
    expect(percent(7 / 9)).toBe('78%');
    expect(percent(null)).toBe('—');
  });
});
