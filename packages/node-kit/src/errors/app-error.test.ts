import { ERROR_REGISTRY } from '@kiln/protocol';
import { describe, expect, it } from 'vitest';
import { AppError, ExternalError, isAppError } from './index.js';

describe('AppError', () => {
  it('takes its status from the registry', () => {
    expect(new AppError('MACHINE_NOT_FOUND', 'gone').status).toBe(404);
    expect(new AppError('MACHINE_LOCKED', 'locked').status).toBe(409);
    expect(new ExternalError('POWER_ACTION_FAILED', 'bmc down').status).toBe(
      ERROR_REGISTRY.POWER_ACTION_FAILED.status,
    );
    expect(new ExternalError('HTTP_STATUS', 'bad gateway').status).toBe(502);
  });

  it('relays the status given for a code registered as varies', () => {
    expect(new AppError('RACK_CACHE_COMMAND_FAILED', 'busy', { status: 409 }).status).toBe(409);
  });

  it('keeps code, details and cause, and is recognised structurally', () => {
    const cause = new Error('inner');
    const error = new AppError('IMAGE_VERIFY_FAILED', 'bad', { details: { n: 1 }, cause });
    expect(error).toMatchObject({ code: 'IMAGE_VERIFY_FAILED', details: { n: 1 }, cause });
    expect(isAppError(error)).toBe(true);
    expect(isAppError(new Error('plain'))).toBe(false);
  });
});
