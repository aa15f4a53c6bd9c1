import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "Racks and networks". */
export const RACK_ERRORS = {
  RACK_AGENT_STOPPING: {
    status: 503,
    meaning: 'The rack agent is stopping; region calls still queued are refused.',
  },
  RACK_AGENT_UNREACHABLE: {
    status: 503,
    meaning:
      '`kiln rack cache ...` found no rack agent on the loopback URL (is `kiln rack`/`kiln start` running?).',
  },
  RACK_BOOT_ANSWER_INVALID: { status: 502, meaning: 'The region sent an invalid boot answer: …' },
  RACK_CACHE_COMMAND_FAILED: {
    status: 'varies',
    meaning: "The agent refused a `kiln rack cache` command; the message is the agent's.",
  },
  RACK_DHCP_MODE_INVALID: {
    status: 400,
    meaning: '`kiln rack --dhcp` is not managed, external or off.',
  },
  RACK_FABRIC_EXISTS: { status: 400, meaning: 'Fabric … already exists.' },
  RACK_FABRIC_NOT_FOUND: { status: 404, meaning: 'No Fabric matches the given query.' },
  RACK_IDENTITY_INVALID: {
    status: 500,
    meaning: '… is not a valid rack identity; fix or remove it.',
  },
  RACK_IPRANGE_NOT_FOUND: { status: 404, meaning: 'No IPRange matches the given query.' },
  RACK_NOT_FOUND: { status: 404, meaning: 'No RackController matches the given query.' },
  RACK_REGION_REQUEST_FAILED: { status: 502, meaning: 'Region … answered …: …' },
  RACK_REGION_UNREACHABLE: { status: 503, meaning: 'No region answered: …' },
  RACK_REGION_URL_MISSING: {
    status: 400,
    meaning: 'At least one region URL is needed (--region-url).',
  },
  RACK_SECRET_INVALID: {
    status: 401,
    meaning:
      "Missing or wrong rack secret (the `secret` field of `rack-agent/`, or `X-Kiln-Rack-Secret` on the rack's internal routes).",
  },
  RACK_SECRET_MISSING: {
    status: 400,
    meaning:
      'The rack needs the region secret (--secret or KILN_RACK_SECRET; `kiln secret` prints it).',
  },
  RACK_SECRET_REJECTED: { status: 401, meaning: 'Region … rejected the rack secret: …' },
  RACK_SHA256_INVALID: { status: 400, meaning: 'A cache command argument is not a sha256.' },
  RACK_SUBNET_NOT_FOUND: { status: 404, meaning: 'No Subnet matches the given query.' },
  RACK_VLAN_IN_USE: {
    status: 400,
    meaning: 'The untagged VLAN and VLANs with subnets cannot be deleted.',
  },
  RACK_VLAN_NOT_FOUND: { status: 404, meaning: 'No VLAN matches the given query.' },
} as const satisfies Record<string, ErrorSpec>;
