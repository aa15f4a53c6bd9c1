import { describe, expect, it } from 'vitest';
import { skipWithout, unlessAvailable } from './index.js';

describe('skipWithout', () => {
  it('runs tests whose requirements are met, locally and in CI', () => {
    expect(skipWithout(null, {})).toBe(false);
    expect(skipWithout(null, { CI: 'true' })).toBe(false);
  });

  it('skips locally when something is missing', () => {
    expect(skipWithout('shellcheck is not installed', {})).toBe(true);
  });

  it('fails under CI=true when something is missing, naming it', () => {
    expect(() => skipWithout('shellcheck is not installed', { CI: 'true' })).toThrow(
      /CI=true .*shellcheck is not installed/,
    );
  });

  it('turns an availability probe into a reason', () => {
    expect(unlessAvailable(true, 'x is missing')).toBeNull();
    expect(unlessAvailable(false, 'x is missing')).toBe('x is missing');
  });
});
