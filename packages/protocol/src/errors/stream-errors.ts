import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "Simplestreams". */
export const STREAM_ERRORS = {
  STREAM_CHECKSUM_MISMATCH: {
    status: 502,
    meaning: "A file copied from a local mirror does not match the stream's size or sha256.",
  },
  STREAM_FETCH_FAILED: {
    status: 502,
    meaning: 'Reading a document from a local (file) mirror failed.',
  },
  STREAM_FILTER_INVALID: {
    status: 400,
    meaning:
      'A stream filter is not `key=value`, `key!=value`, `key~regex` or `key!~regex`, or its regex is invalid.',
  },
  STREAM_ITEM_INVALID: {
    status: 502,
    meaning: 'A stream item with a path lacks its sha256 or size (mirroring).',
  },
  STREAM_JSON_INVALID: { status: 502, meaning: 'A stream document is not JSON.' },
  STREAM_KEYRING_INVALID: {
    status: 400,
    meaning: 'A keyring file or keyring data cannot be read or holds no public key.',
  },
  STREAM_KEYRING_REQUIRED: { status: 400, meaning: 'A signed stream was read without a keyring.' },
  STREAM_KEY_EXPIRED: { status: 502, meaning: 'The key that signed a document has expired.' },
  STREAM_KEY_REVOKED: { status: 502, meaning: 'The key that signed a document is revoked.' },
  STREAM_MANIFEST_INVALID: {
    status: 400,
    meaning: 'A stream-build manifest is invalid; the message names the problem.',
  },
  STREAM_PATH_UNSAFE: {
    status: 502,
    meaning: 'A path in a stream document is absolute, has `..` or escapes the mirror root.',
  },
  STREAM_SCHEMA_INVALID: {
    status: 502,
    meaning:
      'A stream document is not `index:1.0` or `products:1.0`; the message has the JSON path of the problem.',
  },
  STREAM_SIGNATURE_BAD: {
    status: 502,
    meaning: 'A signature does not match its document (altered) or is malformed.',
  },
  STREAM_SIGNATURE_MISSING: {
    status: 502,
    meaning: 'A document that must be signed is not; the message names the document.',
  },
  STREAM_SIGNATURE_UNKNOWN_KEY: {
    status: 502,
    meaning:
      'A document is signed by a key not in the keyring (key ids in the message and `details.keyIds`).',
  },
  STREAM_SIGNING_KEY_INVALID: {
    status: 400,
    meaning: 'The secret key given for signing a stream cannot be read.',
  },
  STREAM_TREE_INVALID: { status: 400, meaning: 'A document the tree to sign needs is missing.' },
  STREAM_URL_INVALID: { status: 400, meaning: 'A mirror URL or path is not usable.' },
} as const satisfies Record<string, ErrorSpec>;
