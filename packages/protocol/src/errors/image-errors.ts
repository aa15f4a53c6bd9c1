import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "Images (region)". */
export const IMAGE_ERRORS = {
  IMAGE_BOOTLOADER_UNPACK_FAILED: {
    status: 422,
    meaning: 'A bootloader archive could not be unpacked.',
  },
  IMAGE_BOOTLOADER_UNSAFE: {
    status: 400,
    meaning:
      'A bootloader type or architecture is not a safe directory name, or the archive holds unsafe paths.',
  },
  IMAGE_BUILD_COMMAND_FAILED: {
    status: 500,
    meaning: 'A command used to build a test/boot image exited with an error.',
  },
  IMAGE_BUILD_TOOL_MISSING: { status: 500, meaning: 'Cannot run …: …' },
  IMAGE_FILE_NOT_FOUND: { status: 404, meaning: 'No BootResourceFile matches the given query.' },
  IMAGE_KERNEL_MISMATCH: {
    status: 500,
    meaning: "The kernel package holds …, the image's modules are for …",
  },
  IMAGE_PACKAGE_UNAVAILABLE: {
    status: 500,
    meaning:
      'Debian package … has no installable version (is apt-get update done and deb.debian.org reachable?)',
  },
  IMAGE_RESOURCE_NOT_FOUND: { status: 404, meaning: 'No BootResource matches the given query.' },
  IMAGE_SHA256_INVALID: {
    status: 400,
    meaning: 'A name used as an image-store key is not a sha256.',
  },
  IMAGE_TYPE_INVALID: {
    status: 400,
    meaning: "'…' is not a valid boot resource type. Available types: ['synced', 'uploaded']",
  },
  IMAGE_UPLOAD_COMPLETE: { status: 400, meaning: 'Cannot upload to a complete file.' },
  IMAGE_UPLOAD_FORBIDDEN: {
    status: 403,
    meaning: 'Cannot upload to a resource that is not an uploaded resource.',
  },
  IMAGE_UPLOAD_NO_DATA: { status: 400, meaning: 'Missing data.' },
  IMAGE_UPLOAD_SHA256_MISMATCH: {
    status: 400,
    meaning: 'Saved content does not match given SHA256 value.',
  },
  IMAGE_UPLOAD_TOO_MUCH: { status: 400, meaning: 'Too much data received.' },
  IMAGE_FILE_CORRUPT: {
    status: 502,
    meaning:
      'A stored image file failed its sha256 check at rest while being served: the client was cut off before the last byte, the file quarantined and fetched again.',
  },
  IMAGE_VERIFY_FAILED: {
    status: 409,
    meaning: 'Verifying the image store found files whose sha256 does not match, or missing files.',
  },
} as const satisfies Record<string, ErrorSpec>;
