import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "Rack: boot files, cache, TFTP, DHCP". */
export const BOOT_FILE_ERRORS = {
  BOOT_ANSWER_INVALID: {
    status: 502,
    meaning: 'The region sent a boot answer the rack cannot use.',
  },
  BOOT_PATH_INVALID: {
    status: 400,
    meaning: 'A requested boot path was refused (escapes its root or is malformed).',
  },
  CACHE_CHECKSUM_MISMATCH: {
    status: 502,
    meaning: 'A boot file fetched from a region failed its sha256 check and was discarded.',
  },
  CACHE_CLOSED: { status: 503, meaning: 'The boot-file cache is shutting down.' },
  CACHE_FILE_NOT_FOUND: { status: 404, meaning: 'The boot file is not cached.' },
  CACHE_INVALID_SHA256: {
    status: 400,
    meaning: 'A name that should be a sha256 is not 64 hex digits.',
  },
  CACHE_INVALID_SIZE: { status: 400, meaning: 'The cache size is not a positive byte count.' },
  CACHE_REGION_BAD_RANGE: { status: 502, meaning: 'A region refused or mangled a resume range.' },
  CACHE_REGION_UNAVAILABLE: { status: 503, meaning: 'No region could supply the boot file.' },
  CACHE_SIZE_MISMATCH: {
    status: 502,
    meaning: 'A boot file fetched from a region has the wrong size.',
  },
  CACHE_TOO_LARGE: { status: 507, meaning: 'The boot file is larger than the whole cache.' },
  DHCP_CONFIG_INVALID: { status: 500, meaning: 'dnsmasq rejected the rendered configuration.' },
  DHCP_START_FAILED: { status: 500, meaning: 'dnsmasq did not start with the new configuration.' },
  TFTP_BIND_FAILED: { status: 500, meaning: 'The TFTP UDP port could not be bound.' },
  TFTP_CONFIG_INVALID: { status: 400, meaning: 'TFTP server settings are invalid.' },
  TFTP_PORT_PRIVILEGED: {
    status: 500,
    meaning:
      'Not allowed to bind a privileged TFTP port; run as root or grant `cap_net_bind_service`.',
  },
  TFTP_SOURCE_NOT_FILE: { status: 404, meaning: 'The requested TFTP path is not a regular file.' },
  TFTP_SOURCE_NOT_SEQUENTIAL: {
    status: 500,
    meaning: 'A netascii source was read out of order (internal).',
  },
  CACHE_DISK_FULL: {
    status: 507,
    meaning:
      "The rack's cache disk filled (ENOSPC/EDQUOT) while a boot file arrived: the fetch ended, its partial was removed; the message names the cache folder and its free bytes. The next request fetches again.",
  },
  CACHE_WRITE_FAILED: {
    status: 500,
    meaning:
      'Writing a boot file into the cache failed for another reason (EIO, ...): the fetch ended and its partial was removed.',
  },
} as const satisfies Record<string, ErrorSpec>;
