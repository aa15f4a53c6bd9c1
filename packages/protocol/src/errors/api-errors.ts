import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "API (region, MAAS API 2.0)". */
export const API_ERRORS = {
  API_BAD_REQUEST_BODY: {
    status: 400,
    meaning:
      'The request body cannot be parsed (e.g. a truncated multipart body or one without a boundary).',
  },
  API_METHOD_NOT_ALLOWED: {
    status: 405,
    meaning:
      'The resource has no action for this HTTP method at all; `Allow` lists the methods it has.',
  },
  API_UNRECOGNISED_SIGNATURE: {
    status: 400,
    meaning: 'No action matches the method and `op` (`Unrecognised signature: method=GET op=foo`).',
  },
  API_VALIDATION_FAILED: {
    status: 400,
    meaning:
      'Form validation failed; the body is JSON `{field: [messages]}` (`__all__` for errors not tied to one field). Nothing was changed.',
  },
} as const satisfies Record<string, ErrorSpec>;
