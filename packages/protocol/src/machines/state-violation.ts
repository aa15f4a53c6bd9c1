/**
 * Error for a lifecycle move or action that the machine's current state forbids (MAAS's
 * `NodeStateViolation`). protocol cannot import node-kit's AppError, so this class carries the
 * same structural fields (`code`, `status`, `details`): the API error mapper recognises it by
 * shape, like any AppError, and answers `status` with `message` as the text body.
 */
export const MACHINE_ERROR_CODES = {
  /** 409: the transition table or an action's allowed statuses forbid the request. */
  STATE_CONFLICT: 'MACHINE_STATE_CONFLICT',
  /**
   * 400: MAAS validates commission/test availability in a form, so clients see a 400 with a
   * `{"__all__": [message]}` body rather than a 409.
   */
  ACTION_UNAVAILABLE: 'MACHINE_ACTION_UNAVAILABLE',
} as const;

export type MachineErrorCode = (typeof MACHINE_ERROR_CODES)[keyof typeof MACHINE_ERROR_CODES];

export class MachineStateViolation extends Error {
  readonly code: MachineErrorCode;
  readonly status: 400 | 409;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    code: MachineErrorCode = MACHINE_ERROR_CODES.STATE_CONFLICT,
  ) {
    super(message);
    this.name = 'MachineStateViolation';
    this.code = code;
    this.status = code === MACHINE_ERROR_CODES.ACTION_UNAVAILABLE ? 400 : 409;
    this.details = details;
  }
}
