import type { PowerField, PowerState } from '@kiln/protocol';
import type { Logger } from 'pino';
import type { z } from 'zod';

/** What every power operation gets besides its parameters. */
export interface PowerContext {
  /** The machine being driven; sent to webhooks and used in log lines. */
  readonly systemId: string;
  /** Aborts the operation (shutdown, request cancelled); drivers pass it to sockets/processes. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/**
 * One way of switching machines on and off (a BMC protocol, a hypervisor, a person). Parameters
 * arrive already validated by `parametersSchema`, with defaults applied.
 *
 * Methods use method syntax on purpose: TypeScript then lets a `PowerDriver<WebhookParameters>`
 * sit in a registry of `PowerDriver<unknown>`, which is safe because the registry always feeds a
 * driver the output of that same driver's schema.
 */
export interface PowerDriver<P = unknown> {
  /** `power_type` value, e.g. `ipmi`. */
  readonly name: string;
  /** Human label as `describe_power_types` shows it. */
  readonly description: string;
  /** Parameter descriptions in MAAS's `describe_power_types` format. */
  readonly fields: readonly PowerField[];
  /** False when the driver cannot observe the machine (manual). */
  readonly queryable: boolean;
  readonly parametersSchema: z.ZodType<P>;
  powerOn(params: P, ctx: PowerContext): Promise<void>;
  powerOff(params: P, ctx: PowerContext): Promise<void>;
  queryState(params: P, ctx: PowerContext): Promise<PowerState>;
  /** Debian packages the driver needs that are not installed (e.g. `ipmitool`). */
  missingPackages?(): Promise<string[]>;
}

interface FieldOptions {
  readonly required?: boolean;
  readonly fieldType?: PowerField['field_type'];
  readonly choices?: readonly (readonly [string, string])[];
  readonly default?: string | readonly string[];
  readonly scope?: PowerField['scope'];
  readonly secret?: boolean;
}

/** Build a field description with MAAS's defaults (string type, BMC scope, empty default). */
export function powerField(name: string, label: string, options: FieldOptions = {}): PowerField {
  const fieldType = options.fieldType ?? 'string';
  const fallback: string | string[] = fieldType === 'multiple_choice' ? [] : '';
  const given = options.default;
  return {
    name,
    label,
    required: options.required ?? false,
    field_type: fieldType,
    choices: (options.choices ?? []).map(([value, text]) => [value, text]),
    default: given === undefined ? fallback : typeof given === 'string' ? given : [...given],
    scope: options.scope ?? 'bmc',
    secret: options.secret ?? false,
  };
}
