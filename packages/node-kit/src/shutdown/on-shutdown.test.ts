import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger/index.js';
import { onShutdownSignals } from './on-shutdown.js';

describe('onShutdownSignals', () => {
  it('runs stop once on the first signal and removes its handlers on request', async () => {
    const before = process.listenerCount('SIGTERM');
    const calls: string[] = [];
    let done = (): void => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const remove = onShutdownSignals(async (signal) => {
      calls.push(signal);
      done();
      return Promise.resolve();
    }, silentLogger());
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    process.emit('SIGTERM');
    await finished;
    expect(calls).toEqual(['SIGTERM']);
    remove();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
