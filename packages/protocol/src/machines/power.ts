import { z } from 'zod';

/** `power_state` values on the wire. */
export const POWER_STATES = ['on', 'off', 'unknown', 'error'] as const;
export type PowerState = (typeof POWER_STATES)[number];
export const powerStateSchema = z.enum(POWER_STATES);

/** The power operations a driver performs. */
export const POWER_ACTIONS = ['on', 'off', 'query'] as const;
export type PowerAction = (typeof POWER_ACTIONS)[number];

/** Field types MAAS uses in power parameter descriptions. */
export const POWER_FIELD_TYPES = [
  'string',
  'mac_address',
  'choice',
  'multiple_choice',
  'password',
] as const;

/**
 * One parameter of a power type as `describe_power_types` reports it. `scope` says whether the
 * value belongs to the BMC (shared by the machines behind it) or to the node.
 */
export const powerFieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  required: z.boolean(),
  field_type: z.enum(POWER_FIELD_TYPES),
  choices: z.array(z.tuple([z.string(), z.string()])),
  default: z.union([z.string(), z.array(z.string())]),
  scope: z.enum(['bmc', 'node']),
  secret: z.boolean(),
});
export type PowerField = z.infer<typeof powerFieldSchema>;

/** One entry of `GET rackcontrollers/?op=describe_power_types`. */
export const powerTypeDescriptionSchema = z.object({
  driver_type: z.literal('power'),
  name: z.string(),
  description: z.string(),
  chassis: z.boolean(),
  can_probe: z.boolean(),
  queryable: z.boolean(),
  fields: z.array(powerFieldSchema),
  missing_packages: z.array(z.string()),
});
export type PowerTypeDescription = z.infer<typeof powerTypeDescriptionSchema>;

/** Body of `GET machines/{id}/?op=query_power_state`. */
export const powerStateResponseSchema = z.object({ state: powerStateSchema });
