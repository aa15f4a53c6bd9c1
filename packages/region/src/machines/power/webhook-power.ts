import type { PowerState } from '@kiln/protocol';
import { z } from 'zod';
import { powerHttp, type PowerHttpResponse } from './http-request.js';
import { powerField, type PowerContext, type PowerDriver } from './power-driver.js';
import { POWER_ERROR_CODES, powerFailure } from './power-errors.js';
import { choice, httpUrl, optionalText, regexPattern } from './power-parameters.js';

/** MAAS's defaults: match a JSON-ish `"status": "running"` / `"status": "stopped"` body. */
export const WEBHOOK_DEFAULT_ON_REGEX = 'status.*\\:.*running';
export const WEBHOOK_DEFAULT_OFF_REGEX = 'status.*\\:.*stopped';

const VERIFY_CHOICES = [
  ['n', 'No'],
  ['y', 'Yes'],
] as const;

const webhookSchema = z.strictObject({
  power_on_uri: httpUrl(),
  power_off_uri: httpUrl(),
  power_query_uri: httpUrl(),
  power_on_regex: regexPattern(WEBHOOK_DEFAULT_ON_REGEX),
  power_off_regex: regexPattern(WEBHOOK_DEFAULT_OFF_REGEX),
  power_user: optionalText(),
  power_pass: optionalText(),
  power_token: optionalText(),
  power_verify_ssl: choice(['n', 'y'], 'n'),
});

export type WebhookParameters = z.infer<typeof webhookSchema>;

const TIMEOUT_MS = 30_000;

function headersFor(params: WebhookParameters, ctx: PowerContext): Record<string, string> {
  // No Content-Type: some services reject a typed request that carries no body.
  const headers: Record<string, string> = {
    'User-Agent': 'Kiln',
    Accept: 'application/json',
    System_Id: ctx.systemId,
  };
  if (params.power_token !== '') headers.Authorization = `Bearer ${params.power_token}`;
  else if (params.power_user !== '' && params.power_pass !== '') {
    const basic = Buffer.from(`${params.power_user}:${params.power_pass}`).toString('base64');
    headers.Authorization = `Basic ${basic}`;
  }
  return headers;
}

async function call(
  method: 'GET' | 'POST',
  uri: string,
  params: WebhookParameters,
  ctx: PowerContext,
): Promise<PowerHttpResponse> {
  const send = (url: string) =>
    powerHttp({
      method,
      url,
      headers: headersFor(params, ctx),
      verifyTls: params.power_verify_ssl === 'y',
      signal: ctx.signal,
      timeoutMs: TIMEOUT_MS,
    });
  let response = await send(uri);
  // Frameworks that route only `/path/` answer 404 to `/path`; MAAS retries with the slash.
  if (response.status === 404 && !uri.endsWith('/')) response = await send(`${uri}/`);
  if (response.status === 401 || response.status === 403) {
    throw powerFailure(
      POWER_ERROR_CODES.AUTH_FAILED,
      `Webhook ${new URL(uri).host} refused the credentials (HTTP ${response.status}).`,
    );
  }
  if (response.status >= 400) {
    throw powerFailure(
      POWER_ERROR_CODES.ACTION_FAILED,
      `Request failed with response status code: ${response.status}.`,
      { details: { uri: new URL(uri).origin } },
    );
  }
  return response;
}

export const webhookPowerDriver: PowerDriver<WebhookParameters> = {
  name: 'webhook',
  description: 'Webhook',
  queryable: true,
  fields: [
    powerField('power_on_uri', 'URI to power on the node', { required: true }),
    powerField('power_off_uri', 'URI to power off the node', { required: true }),
    powerField('power_query_uri', 'URI to query the nodes power status', { required: true }),
    powerField('power_on_regex', 'Regex to confirm the node is on', {
      required: true,
      default: WEBHOOK_DEFAULT_ON_REGEX,
    }),
    powerField('power_off_regex', 'Regex to confirm the node is off', {
      required: true,
      default: WEBHOOK_DEFAULT_OFF_REGEX,
    }),
    powerField('power_user', 'Power user'),
    powerField('power_pass', 'Power password', { fieldType: 'password', secret: true }),
    powerField('power_token', 'Power token, will be used in place of power_user and power_pass', {
      fieldType: 'password',
      secret: true,
    }),
    powerField('power_verify_ssl', 'Verify SSL connections with system CA certificates', {
      fieldType: 'choice',
      required: true,
      choices: VERIFY_CHOICES,
      default: 'n',
    }),
  ],
  parametersSchema: webhookSchema,
  async powerOn(params, ctx) {
    await call('POST', params.power_on_uri, params, ctx);
  },
  async powerOff(params, ctx) {
    await call('POST', params.power_off_uri, params, ctx);
  },
  async queryState(params, ctx): Promise<PowerState> {
    const { body } = await call('GET', params.power_query_uri, params, ctx);
    if (new RegExp(params.power_on_regex).test(body)) return 'on';
    if (new RegExp(params.power_off_regex).test(body)) return 'off';
    return 'unknown';
  },
};
