import type { ErrorCode } from '@kiln/protocol';
import { AppError, ExternalError } from '@kiln/node-kit';

/** Every error code the power layer throws. */
export const POWER_ERROR_CODES = {
  /** 400: parameters fail the driver's schema; `details.fields` maps field → messages. */
  PARAMETERS_INVALID: 'POWER_PARAMETERS_INVALID',
  /** 400: `power_type` names no registered driver. */
  TYPE_UNKNOWN: 'POWER_TYPE_UNKNOWN',
  /** 503: the BMC/hypervisor/webhook answered with an error or could not be reached. Retried. */
  ACTION_FAILED: 'POWER_ACTION_FAILED',
  /** 503: one attempt took longer than its time limit. Retried. */
  ACTION_TIMEOUT: 'POWER_ACTION_TIMEOUT',
  /** 503: the BMC rejected the credentials. Not retried: retrying can lock the BMC account. */
  AUTH_FAILED: 'POWER_AUTH_FAILED',
  /** 503: a tool the driver runs (ipmitool) is not installed. Not retried. */
  TOOL_MISSING: 'POWER_TOOL_MISSING',
  /** 503: the operation was cancelled through its AbortSignal. Not retried. */
  ACTION_ABORTED: 'POWER_ACTION_ABORTED',
} as const satisfies Record<string, ErrorCode>;

const NOT_RETRYABLE = new Set<string>([
  POWER_ERROR_CODES.PARAMETERS_INVALID,
  POWER_ERROR_CODES.TYPE_UNKNOWN,
  POWER_ERROR_CODES.AUTH_FAILED,
  POWER_ERROR_CODES.TOOL_MISSING,
  POWER_ERROR_CODES.ACTION_ABORTED,
]);

/** Whether another attempt could succeed. Unknown errors (bugs) are not retried. */
export function isRetryablePowerError(error: unknown): boolean {
  if (!(error instanceof AppError)) return false;
  return error.code.startsWith('POWER_') && !NOT_RETRYABLE.has(error.code);
}

/**
 * Failures of equipment Kiln does not own. MAAS answers power problems with 503; the registry
 * gives POWER_* failures that status.
 */
export function powerFailure(
  code: ErrorCode,
  message: string,
  options: { cause?: unknown; details?: Record<string, unknown> } = {},
): ExternalError {
  return new ExternalError(code, message, options);
}

export function powerAborted(cause?: unknown): ExternalError {
  return powerFailure(POWER_ERROR_CODES.ACTION_ABORTED, 'Power action was cancelled.', { cause });
}
