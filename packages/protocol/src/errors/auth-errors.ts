import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "Authentication and users (region)". */
export const AUTH_ERRORS = {
  AUTH_ADMIN_ONLY: {
    status: 403,
    meaning:
      'A non-admin called an admin-only method (`This method is reserved for admin users.`).',
  },
  AUTH_BAD_REQUEST: {
    status: 400,
    meaning: 'The OAuth header lacks required parameters; the message names them.',
  },
  AUTH_CSRF_FAILED: { status: 403, meaning: 'CSRF Failed: CSRF token missing or incorrect.' },
  AUTH_EXPIRED_TIMESTAMP: {
    status: 401,
    meaning:
      '`oauth_timestamp` is more than 300 s from the server clock; clients re-sign using the `Date` header.',
  },
  AUTH_INVALID_KEY: {
    status: 401,
    meaning:
      'No API key has this consumer key and token key (`Authorization Error: Invalid API key.`).',
  },
  AUTH_INVALID_SIGNATURE: {
    status: 401,
    meaning: 'The signature is not `&<token_secret>` for the key.',
  },
  AUTH_LOGIN_FAILED: { status: 401, meaning: 'Invalid username or password.' },
  AUTH_LOGIN_INCOMPLETE: { status: 400, meaning: 'A web UI login lacks the username or password.' },
  AUTH_NONCE_REUSED: {
    status: 401,
    meaning: 'The nonce was already used with this token (a replay).',
  },
  AUTH_NOT_ALLOWED: {
    status: 403,
    meaning:
      'A non-admin called an admin-only resource (`User is not allowed access to this API.`).',
  },
  AUTH_REQUIRED: {
    status: 401,
    meaning:
      'A restricted resource was called without credentials (body `Forbidden`, `WWW-Authenticate: OAuth`).',
  },
  AUTH_SIGNATURE_METHOD: {
    status: 401,
    meaning: 'A signature method other than PLAINTEXT was used.',
  },
  AUTH_TOKEN_NOT_FOUND: {
    status: 404,
    meaning: 'The caller has no API token with that key (`No Token matches the given query.`).',
  },
  USER_INVALID: {
    status: 400,
    meaning:
      '`createadmin` input is invalid (username taken or malformed, bad email, empty password); every problem is listed.',
  },
  USER_NOT_FOUND: {
    status: 404,
    meaning: 'No user has that username (`No User matches the given query.`).',
  },
  USER_SELF_DELETE: { status: 400, meaning: 'An administrator tried to delete their own account.' },
} as const satisfies Record<string, ErrorSpec>;
