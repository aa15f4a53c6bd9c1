import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "Shared plumbing (node-kit)". */
export const PLUMBING_ERRORS = {
  FS_PATH_UNSAFE: { status: 400, meaning: 'A path from outside would escape its root directory.' },
  HTTP_ABORTED: { status: 499, meaning: 'A transfer was aborted by its caller.' },
  HTTP_BAD_CONTENT_RANGE: {
    status: 502,
    meaning: 'A server answered a different range than asked for.',
  },
  HTTP_BODY_TOO_LARGE: {
    status: 502,
    meaning:
      "A fetched body is larger than the caller's limit; the transfer was stopped and is not retried.",
  },
  HTTP_CHECKSUM_MISMATCH: {
    status: 502,
    meaning:
      "A downloaded file's sha256 differs from the expected one; the partial download was discarded.",
  },
  HTTP_DOWNLOAD_FAILED: { status: 502, meaning: 'A download failed after retries.' },
  HTTP_FETCH_FAILED: { status: 502, meaning: 'A GET failed.' },
  HTTP_PROXY_FAILED: { status: 502, meaning: 'The HTTP proxy refused CONNECT.' },
  HTTP_RANGE_NOT_SATISFIABLE: {
    status: 502,
    meaning: 'A server refused to resume from the given offset.',
  },
  HTTP_SIZE_MISMATCH: {
    status: 502,
    meaning:
      "A downloaded file's size differs from the expected one (or the server sent more); the partial download was discarded.",
  },
  HTTP_STATUS: { status: 502, meaning: 'A server answered with an unexpected HTTP status.' },
  HTTP_TIMEOUT: { status: 502, meaning: 'No data arrived within the idle timeout.' },
  HTTP_TOO_MANY_REDIRECTS: { status: 502, meaning: 'Too many redirects.' },
  HTTP_TRUNCATED: { status: 502, meaning: 'The connection was lost mid-transfer.' },
  HTTP_URL_UNSUPPORTED: { status: 400, meaning: 'The URL scheme is not http or https.' },
} as const satisfies Record<string, ErrorSpec>;
