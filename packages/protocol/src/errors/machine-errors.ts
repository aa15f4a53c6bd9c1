import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "Machines (region)". */
export const MACHINE_ERRORS = {
  MACHINE_ZONES_NOT_FOUND: {
    status: 404,
    meaning: 'No zone has that name (`No Zone matches the given query.`).',
  },
  MACHINE_RESOURCE_POOLS_NOT_FOUND: {
    status: 404,
    meaning: 'No resource pool has that id (`No ResourcePool matches the given query.`).',
  },
  MACHINE_ALREADY_REGISTERED: {
    status: 400,
    meaning:
      'A machine with one of these MAC addresses is already registered (`mac_addresses` field error).',
  },
  MACHINE_BOOT_REQUEST_INVALID: {
    status: 400,
    meaning: 'A rack asked for a boot purpose with an invalid request body.',
  },
  MACHINE_CHANGED_CONCURRENTLY: {
    status: 409,
    meaning: 'The machine changed while the request ran; retry.',
  },
  MACHINE_DISTRO_SERIES_INVALID: {
    status: 400,
    meaning:
      'A `distro_series` is not `<release>`, `<os>/<release>` or a version such as `ubuntu/22.04`.',
  },
  MACHINE_ESXI_NETWORK_UNSUPPORTED: {
    status: 400,
    meaning: 'An ESXi deployment was given a network config version other than 1.',
  },
  MACHINE_IMAGE_FORMAT_UNSUPPORTED: {
    status: 400,
    meaning: 'The image file type cannot be installed.',
  },
  MACHINE_IMAGE_SOURCE_INVALID: {
    status: 400,
    meaning: 'The image reference for installation is malformed (e.g. sha256 not 64 hex digits).',
  },
  MACHINE_INSTALL_CONFIG_INVALID: {
    status: 400,
    meaning: 'A field of the rendered install configuration is not acceptable.',
  },
  MACHINE_INVENTORY_INVALID: {
    status: 400,
    meaning: 'The commissioning inventory sent by a machine cannot be parsed.',
  },
  MACHINE_LOCKED: { status: 409, meaning: 'The machine is locked; unlock it before changing it.' },
  MACHINE_NETWORK_INVALID: {
    status: 400,
    meaning: "The machine's network configuration is invalid.",
  },
  MACHINE_NONE_AVAILABLE: {
    status: 409,
    meaning:
      '`allocate` found no Ready machine matching the constraints (`No machine available.`).',
  },
  MACHINE_NOT_DEPLOYING: {
    status: 400,
    meaning: 'The operation needs a machine in a deployment state.',
  },
  MACHINE_NOT_FOUND: {
    status: 404,
    meaning: 'No machine has that system id (`No Machine matches the given query.`).',
  },
  MACHINE_NOT_OWNER: {
    status: 403,
    meaning:
      'The caller does not own the machine (e.g. power on a machine allocated to someone else).',
  },
  MACHINE_NO_IMAGE: {
    status: 400,
    meaning:
      'No complete image exists for the requested OS/release/architecture; select it and let the import finish.',
  },
  MACHINE_POWER_FAILED: {
    status: 503,
    meaning:
      "The power driver failed to carry out a power action; the message has the driver's error.",
  },
  MACHINE_POWER_UNCONFIGURED: {
    status: 503,
    meaning: 'The machine has no power type; set `power_type` first.',
  },
  MACHINE_PRESEED_RENDER_FAILED: {
    status: 400,
    meaning: 'The deployment configuration could not be rendered (`Failed to render preseed: …`).',
  },
  MACHINE_PRESEED_TEMPLATE_INVALID: {
    status: 400,
    meaning: 'A preseed/cloud-config template cannot be rendered.',
  },
  MACHINE_SCRIPTS_BUNDLE_INVALID: {
    status: 400,
    meaning: 'A commissioning script name is invalid or repeated.',
  },
  MACHINE_STATE_CONFLICT: {
    status: 409,
    meaning:
      "The machine's status forbids the action (MAAS's NodeStateViolation); bulk operations name every machine.",
  },
  MACHINE_STORAGE_LAYOUT_INVALID: {
    status: 400,
    meaning: 'The requested storage layout is invalid.',
  },
  MACHINE_STORAGE_LAYOUT_STATE: {
    status: 409,
    meaning: 'The storage layout can only change on a Ready or Allocated machine.',
  },
  MACHINE_TAG_NOT_FOUND: {
    status: 404,
    meaning: 'No tag has that name (`No Tag matches the given query.`).',
  },
  MACHINE_UNKNOWN_IDS: {
    status: 400,
    meaning:
      'A bulk operation (`accept`, `release`) named system ids that match no machine; nothing was changed.',
  },
  MACHINE_USER_DATA_INVALID: {
    status: 400,
    meaning: '`user_data` given to `deploy` is not base64.',
  },
} as const satisfies Record<string, ErrorSpec>;
