import { describe, expect, it } from 'vitest';
import { sameSecret } from './index.js';

describe('sameSecret', () => {
  it('matches only the same secret, as text or bytes', () => {
    expect(sameSecret('s3cret-value', 's3cret-value')).toBe(true);
    expect(sameSecret(Buffer.from('key'), Buffer.from('key'))).toBe(true);
    expect(sameSecret('s3cret-valuf', 's3cret-value')).toBe(false);
    expect(sameSecret('s3cret', 's3cret-value')).toBe(false);
    expect(sameSecret('s3cret-value-and-more', 's3cret-value')).toBe(false);
  });

  it('never matches a missing or empty secret', () => {
    expect(sameSecret(undefined, '')).toBe(false);
    expect(sameSecret('', '')).toBe(false);
    expect(sameSecret(Buffer.alloc(0), 'x')).toBe(false);
  });
});
