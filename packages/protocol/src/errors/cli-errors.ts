import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "CLI". */
export const CLI_ERRORS = {
  CLI_ARGUMENT_MISSING: {
    status: 400,
    meaning: 'A required flag of a server command (`createadmin`, `apikey`) is missing.',
  },
  CLI_BAD_ARGUMENT: {
    status: 400,
    meaning: 'An argument is not `name=value` or `name@=filename`.',
  },
  CLI_BAD_PROFILE_NAME: { status: 400, meaning: 'The profile name is not acceptable.' },
  CLI_BAD_URL: { status: 400, meaning: 'The URL given to `login` is not valid.' },
  CLI_CONNECTION_FAILED: { status: 502, meaning: 'The server could not be reached.' },
  CLI_DESCRIBE_FAILED: { status: 502, meaning: 'Fetching `describe/` failed.' },
  CLI_DESCRIBE_INVALID: {
    status: 502,
    meaning: "The server's `describe/` document is not usable.",
  },
  CLI_FILE_UNREADABLE: {
    status: 400,
    meaning: 'A file given with `name@=filename` cannot be read.',
  },
  CLI_INVALID_API_KEY: { status: 401, meaning: 'The server rejected the API key at login.' },
  CLI_MALFORMED_API_KEY: {
    status: 400,
    meaning: 'The API key is not `consumer_key:token_key:token_secret`.',
  },
  CLI_MISSING_ARGUMENT: {
    status: 400,
    meaning: 'A required positional argument or value is missing.',
  },
  CLI_PROFILES_INVALID: { status: 500, meaning: 'The stored profiles file is invalid.' },
  CLI_PROFILES_UNREADABLE: { status: 500, meaning: 'The stored profiles file cannot be read.' },
  CLI_PROFILE_NOT_FOUND: { status: 404, meaning: 'No stored profile has that name.' },
  CLI_REFRESH_FAILED: {
    status: 502,
    meaning: "Refreshing one or more profiles' API descriptions failed.",
  },
  CLI_UNEXPECTED_RESPONSE: {
    status: 502,
    meaning: 'The server answered with a body that is not JSON.',
  },
  CLI_UPLOAD_NO_CONTENT: {
    status: 400,
    meaning: 'A boot-resource upload was started without `content@=FILE`.',
  },
  CLI_UPLOAD_UNKNOWN_FILE: {
    status: 502,
    meaning: 'The created boot resource could not be identified after upload.',
  },
} as const satisfies Record<string, ErrorSpec>;
