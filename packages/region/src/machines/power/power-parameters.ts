import { AppError } from '@kiln/node-kit';
import { z } from 'zod';
import type { PowerDriver } from './power-driver.js';
import { POWER_ERROR_CODES } from './power-errors.js';

/** Django's wording, which MAAS clients already show to users. */
const REQUIRED = 'This field is required.';

/** A required non-empty string parameter. */
export const requiredText = (): z.ZodString =>
  z.string({ error: REQUIRED }).trim().min(1, REQUIRED);

/** An optional string parameter; absent means empty, as in MAAS's stored parameters. */
export const optionalText = (): z.ZodDefault<z.ZodString> => z.string().default('');

/**
 * A choice among `values`, defaulting to `fallback` when absent. An empty string also means
 * "default" unless '' is itself one of the choices (MAAS uses '' for "the tool's default").
 */
export function choice<const T extends readonly [string, ...string[]]>(
  values: T,
  fallback: T[number],
) {
  const emptyIsChoice = values.includes('');
  return z.preprocess(
    (value) => (value === undefined || (value === '' && !emptyIsChoice) ? fallback : value),
    z.enum(values, {
      error: (issue) =>
        `Select a valid choice. ${JSON.stringify(issue.input)} is not one of the available choices.`,
    }),
  );
}

/** Several choices, as a list or a comma-separated string. */
export function multipleChoice<const T extends readonly [string, ...string[]]>(
  values: T,
  fallback: readonly T[number][],
) {
  return z.preprocess(
    (value) => {
      if (value === undefined) return [...fallback];
      if (typeof value === 'string')
        return value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean);
      return value;
    },
    z.array(
      z.enum(values, {
        error: (issue) =>
          `Select a valid choice. ${JSON.stringify(issue.input)} is not one of the available choices.`,
      }),
    ),
  );
}

/** An http(s) URL (webhooks, Redfish). */
export const httpUrl = (): z.ZodString =>
  requiredText().refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'Enter a valid http or https URL.');

/** A JavaScript-compatible regular expression, compiled once here so drivers can trust it. */
export const regexPattern = (fallback: string) =>
  z
    .preprocess((value) => (value === undefined || value === '' ? fallback : value), z.string())
    .refine((value) => {
      try {
        new RegExp(value);
        return true;
      } catch {
        return false;
      }
    }, 'Enter a valid regular expression.');

/**
 * Validate raw parameters (strings from a form or JSON from enlistment) against a driver's
 * schema. On failure, throws POWER_PARAMETERS_INVALID (400) whose message names every bad field
 * and whose `details.fields` is MAAS's `{field: [messages]}` form-error shape.
 */
export function validatePowerParameters<P>(driver: PowerDriver<P>, raw: unknown): P {
  const result = driver.parametersSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const fields: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    for (const key of unknownKeys) (fields[key] ??= []).push('Unknown power parameter.');
    if (unknownKeys.length > 0) continue;
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '__all__';
    (fields[field] ??= []).push(issue.message);
  }
  const summary = Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
    .join('; ');
  throw new AppError(
    POWER_ERROR_CODES.PARAMETERS_INVALID,
    `Invalid power parameters for power type '${driver.name}': ${summary}`,
    { details: { powerType: driver.name, fields } },
  );
}
