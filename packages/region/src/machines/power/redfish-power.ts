import type { PowerState } from '@kiln/protocol';
import { z } from 'zod';
import { powerHttp } from './http-request.js';
import { powerField, type PowerContext, type PowerDriver } from './power-driver.js';
import { POWER_ERROR_CODES, powerFailure } from './power-errors.js';
import { choice, optionalText, requiredText } from './power-parameters.js';

/** `power_address` is a host (https assumed, as BMCs serve Redfish over TLS) or a full URL. */
function baseUrl(address: string): URL | undefined {
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(address) ? address : `https://${address}`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

const redfishSchema = z.strictObject({
  power_address: requiredText().refine((v) => baseUrl(v) !== undefined, 'Enter a valid address.'),
  power_user: requiredText(),
  power_pass: requiredText(),
  node_id: optionalText().refine((v) => /^[A-Za-z0-9._~-]*$/.test(v), 'Enter a valid node ID.'),
  power_verify_ssl: choice(['n', 'y'], 'n'),
});

export type RedfishParameters = z.infer<typeof redfishSchema>;

const TIMEOUT_MS = 30_000;
const systemSchema = z.looseObject({
  PowerState: z.string().optional(),
  Actions: z
    .looseObject({
      '#ComputerSystem.Reset': z.looseObject({ target: z.string() }).optional(),
    })
    .optional(),
});
const collectionSchema = z.looseObject({
  Members: z.array(z.looseObject({ '@odata.id': z.string() })),
});

async function redfish(
  p: RedfishParameters,
  ctx: PowerContext,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const base = baseUrl(p.power_address) as URL;
  const url = new URL(path, base);
  // Paths come from the BMC's own answers: never let one send the credentials elsewhere.
  if (url.origin !== base.origin) {
    const message = `Redfish BMC pointed to another host (${url.host}); refusing to follow.`;
    throw powerFailure(POWER_ERROR_CODES.ACTION_FAILED, message);
  }
  const auth = Buffer.from(`${p.power_user}:${p.power_pass}`).toString('base64');
  const response = await powerHttp({
    method,
    url: url.toString(),
    headers: {
      Authorization: `Basic ${auth}`,
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      'OData-Version': '4.0',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    verifyTls: p.power_verify_ssl === 'y',
    signal: ctx.signal,
    timeoutMs: TIMEOUT_MS,
  });
  if (response.status === 401 || response.status === 403) {
    const message = `Redfish BMC ${base.host} refused the credentials (HTTP ${response.status}).`;
    throw powerFailure(POWER_ERROR_CODES.AUTH_FAILED, message);
  }
  if (response.status >= 400) {
    const message = `Redfish ${method} ${url.pathname} failed with HTTP ${response.status}.`;
    throw powerFailure(POWER_ERROR_CODES.ACTION_FAILED, message, {
      details: { body: response.body.slice(0, 500) },
    });
  }
  if (response.body.trim() === '') return {};
  try {
    return JSON.parse(response.body) as unknown;
  } catch (error) {
    const message = `Redfish ${url.pathname} did not return JSON.`;
    throw powerFailure(POWER_ERROR_CODES.ACTION_FAILED, message, { cause: error });
  }
}

/** The system's URI: `node_id` when given, else the BMC's first (usually only) system. */
async function systemPath(p: RedfishParameters, ctx: PowerContext): Promise<string> {
  if (p.node_id !== '') return `/redfish/v1/Systems/${p.node_id}`;
  const parsed = collectionSchema.safeParse(await redfish(p, ctx, 'GET', '/redfish/v1/Systems'));
  const first = parsed.success ? parsed.data.Members[0]?.['@odata.id'] : undefined;
  if (first === undefined) {
    throw powerFailure(POWER_ERROR_CODES.ACTION_FAILED, 'The Redfish BMC lists no systems.');
  }
  return first;
}

async function readSystem(p: RedfishParameters, ctx: PowerContext) {
  const path = await systemPath(p, ctx);
  const parsed = systemSchema.safeParse(await redfish(p, ctx, 'GET', path));
  if (!parsed.success) {
    throw powerFailure(POWER_ERROR_CODES.ACTION_FAILED, `Redfish ${path} is not a ComputerSystem.`);
  }
  return { path, system: parsed.data };
}

function toPowerState(value: string | undefined): PowerState {
  if (value === 'On') return 'on';
  if (value === 'Off') return 'off';
  // PoweringOn/PoweringOff/Paused or absent: the BMC itself does not know yet.
  return 'unknown';
}

async function reset(p: RedfishParameters, ctx: PowerContext, want: 'on' | 'off') {
  const { path, system } = await readSystem(p, ctx);
  // Many BMCs answer an error to "On" for a running system; already there is success.
  if (toPowerState(system.PowerState) === want) return;
  const advertised = system.Actions?.['#ComputerSystem.Reset']?.target;
  const target =
    advertised !== undefined && advertised !== ''
      ? advertised
      : `${path}/Actions/ComputerSystem.Reset`;
  await redfish(p, ctx, 'POST', target, { ResetType: want === 'on' ? 'On' : 'ForceOff' });
}

export const redfishPowerDriver: PowerDriver<RedfishParameters> = {
  name: 'redfish',
  description: 'Redfish',
  queryable: true,
  fields: [
    powerField('power_address', 'Redfish address', { required: true }),
    powerField('power_user', 'Redfish user', { required: true }),
    powerField('power_pass', 'Redfish password', {
      fieldType: 'password',
      required: true,
      secret: true,
    }),
    powerField('node_id', 'Node ID', { scope: 'node' }),
    powerField('power_verify_ssl', 'Verify SSL connections with system CA certificates', {
      fieldType: 'choice',
      choices: [
        ['n', 'No'],
        ['y', 'Yes'],
      ],
      default: 'n',
    }),
  ],
  parametersSchema: redfishSchema,
  powerOn: (p, ctx) => reset(p, ctx, 'on'),
  powerOff: (p, ctx) => reset(p, ctx, 'off'),
  async queryState(p, ctx) {
    const { system } = await readSystem(p, ctx);
    return toPowerState(system.PowerState);
  },
};
