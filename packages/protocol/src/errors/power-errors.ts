import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "Power drivers (region)". */
export const POWER_ERRORS = {
  POWER_ACTION_ABORTED: {
    status: 503,
    meaning: 'The power action was cancelled through its AbortSignal. Not retried.',
  },
  POWER_ACTION_FAILED: {
    status: 503,
    meaning:
      'The BMC, hypervisor or webhook answered with an error, an unexpected reply, or could not be reached. Retried.',
  },
  POWER_ACTION_TIMEOUT: {
    status: 503,
    meaning: 'One power attempt took longer than its time limit. Retried.',
  },
  POWER_AUTH_FAILED: {
    status: 503,
    meaning:
      'The BMC rejected the credentials. Not retried: retrying a bad password can lock the BMC account.',
  },
  POWER_PARAMETERS_INVALID: {
    status: 400,
    meaning:
      "Power parameters fail the driver's schema; the message names every bad field and `details.fields` maps field to messages.",
  },
  POWER_TOOL_MISSING: {
    status: 503,
    meaning: 'A tool the driver runs (ipmitool) is not installed. Not retried.',
  },
  POWER_TYPE_UNKNOWN: {
    status: 400,
    meaning: '`power_type` names no registered driver; the message lists the valid ones.',
  },
} as const satisfies Record<string, ErrorSpec>;
