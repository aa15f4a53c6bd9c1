import { AppError } from '@kiln/node-kit';
import { POWER_ERROR_CODES } from './power-errors.js';

/** A parsed request body as the API layer hands it over: repeated keys become arrays. */
export type FormFields = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface PowerParametersInput {
  /** Raw parameters for `validatePowerParameters`, or undefined when the request set none. */
  readonly params: Record<string, string | string[]> | undefined;
  /** `power_parameters_skip_check=true`: store without validating (MAAS's escape hatch). */
  readonly skipCheck: boolean;
}

const PREFIX = 'power_parameters_';
const SKIP_CHECK = 'power_parameters_skip_check';

function single(value: string | readonly string[]): string | string[] {
  return typeof value === 'string' ? value : value.length === 1 ? (value[0] as string) : [...value];
}

/**
 * Collect power parameters from a MAAS request in either of its encodings: one form field per
 * parameter (`power_parameters_power_address=…`, what maascli and Terraform send), or a JSON
 * object in `power_parameters` (what enlistment sends). Both at once is refused as ambiguous.
 */
export function powerParametersFromForm(form: FormFields): PowerParametersInput {
  const skipCheck = String(form[SKIP_CHECK] ?? '').toLowerCase() === 'true';
  const fromFields: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(form)) {
    if (!key.startsWith(PREFIX) || key === SKIP_CHECK || value === undefined) continue;
    fromFields[key.slice(PREFIX.length)] = single(value);
  }
  const json = form.power_parameters;
  if (json === undefined) {
    return { params: Object.keys(fromFields).length > 0 ? fromFields : undefined, skipCheck };
  }
  if (Object.keys(fromFields).length > 0) {
    throw invalid(
      'Send power parameters either as power_parameters JSON or as power_parameters_<name> fields, not both.',
    );
  }
  const text = typeof json === 'string' ? json : (json[0] ?? '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('power_parameters is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid('power_parameters must be a JSON object.');
  }
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string') params[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) params[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') params[key] = String(value);
    else throw invalid(`power_parameters.${key} must be a string or a list of strings.`);
  }
  return { params, skipCheck };
}

function invalid(message: string): AppError {
  return new AppError(POWER_ERROR_CODES.PARAMETERS_INVALID, message, {
    details: { fields: { power_parameters: [message] } },
  });
}
