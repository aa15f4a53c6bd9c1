import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "Spaces, static routes, domains, devices, files, SSH keys (region)". */
export const NETWORK_OBJECT_ERRORS = {
  SPACE_NOT_FOUND: {
    status: 404,
    meaning: 'No space has that id or name (`No Space matches the given query.`).',
  },
  STATIC_ROUTE_NOT_FOUND: { status: 404, meaning: 'No static route has that id.' },
  DOMAIN_NOT_FOUND: { status: 404, meaning: 'No domain has that id or name.' },
  DEVICE_NOT_FOUND: { status: 404, meaning: 'No device has that system id.' },
  DEVICE_NOT_OWNER: {
    status: 403,
    meaning: 'Only the owner of a device or an administrator may delete it.',
  },
  FILE_NOT_FOUND: {
    status: 404,
    meaning: 'The caller has no file of that name (or no file has that key).',
  },
  SSH_KEY_NOT_FOUND: { status: 404, meaning: 'The caller has no SSH key with that id.' },
} as const satisfies Record<string, ErrorSpec>;
