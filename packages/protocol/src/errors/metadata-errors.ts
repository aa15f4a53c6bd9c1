import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "Metadata server (region)". */
export const METADATA_ERRORS = {
  METADATA_AUTH_EXPIRED: {
    status: 401,
    meaning: 'The node request timestamp is outside the allowed window.',
  },
  METADATA_AUTH_INVALID: { status: 401, meaning: 'The node token signature is wrong.' },
  METADATA_AUTH_NONCE: { status: 401, meaning: 'The node request reused a nonce.' },
  METADATA_AUTH_REQUIRED: {
    status: 401,
    meaning: 'A metadata request for node data carried no OAuth credentials.',
  },
  METADATA_NOT_FOUND: { status: 404, meaning: 'Unknown metadata path.' },
  METADATA_NO_NODE: { status: 404, meaning: 'No node has that system id.' },
  METADATA_OP_UNKNOWN: {
    status: 400,
    meaning: 'Unknown `op` on a metadata POST (`Unrecognised signature: …`).',
  },
  METADATA_PRESEED_UNAVAILABLE: {
    status: 403,
    meaning: 'The machine is not booting an environment that needs a preseed.',
  },
  METADATA_SIGNAL_STATE: {
    status: 409,
    meaning: 'A script signal arrived while the machine was not commissioning/installing.',
  },
  METADATA_SIGNAL_STATUS_INVALID: {
    status: 400,
    meaning: 'A script signal carried an unknown status.',
  },
  METADATA_STATUS_INVALID_JSON: {
    status: 400,
    meaning: 'A status webhook payload is not a JSON object.',
  },
  METADATA_STATUS_MISSING: {
    status: 400,
    meaning: 'A status webhook payload lacks required parameters.',
  },
  METADATA_STATUS_NOT_ASCII: { status: 400, meaning: 'A status webhook payload is not ASCII.' },
  METADATA_UNKNOWN_NODE: { status: 403, meaning: 'The credentials do not belong to a known node.' },
  METADATA_UNKNOWN_VERSION: {
    status: 404,
    meaning: 'Unknown metadata version (only `latest` and `2012-03-01`).',
  },
  METADATA_WRONG_NODE: {
    status: 403,
    meaning: 'The node is authenticated but asked about another node.',
  },
} as const satisfies Record<string, ErrorSpec>;
