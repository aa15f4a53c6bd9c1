import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "Boot sources, notifications (region)". */
export const BOOT_SOURCE_ERRORS = {
  BOOT_SOURCE_FETCH_FAILED: {
    status: 502,
    meaning:
      '`available-images/?op=fetch` could not read the source (unreachable, HTTP error, bad JSON, unsafe path); the message has the cause.',
  },
  BOOT_SOURCE_FETCH_TIMEOUT: {
    status: 504,
    meaning:
      '`available-images/?op=fetch`: the source did not answer within the timeout (default 60 s, `timeout=` seconds).',
  },
  BOOT_SOURCE_KEYRING_INVALID: {
    status: 400,
    meaning:
      '`available-images/?op=fetch`: the source keyring (file or data) cannot be read or holds no public key.',
  },
  BOOT_SOURCE_NOT_FOUND: {
    status: 404,
    meaning: 'No boot source has that id (`No BootSource matches the given query.`).',
  },
  BOOT_SOURCE_SELECTION_IN_USE: {
    status: 400,
    meaning: 'The selection provides the commissioning OS/release and cannot be deleted.',
  },
  BOOT_SOURCE_SELECTION_NOT_FOUND: {
    status: 404,
    meaning:
      'No selection with that id under that source (`No BootSourceSelection matches the given query.`).',
  },
  BOOT_SOURCE_SIGNATURE_INVALID: {
    status: 502,
    meaning:
      '`available-images/?op=fetch`: a document of the source is unsigned, tampered with or signed by a key not in the source keyring. Nothing was cached.',
  },
  NOTIFICATION_NOT_FOUND: {
    status: 404,
    meaning: 'No notification with that id is visible to the caller.',
  },
} as const satisfies Record<string, ErrorSpec>;
