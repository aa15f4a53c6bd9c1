import type { ErrorCode } from '@kiln/protocol';
import { AppError } from '@kiln/node-kit';

/**
 * Error constructors shared by domain folders and the API layer, shaped the way MAAS answers:
 * validation problems become 400 {field: [messages]}, missing rows become 404 text.
 */
export function validationError(fields: Record<string, string[]>): AppError {
  const summary = Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
    .join('; ');
  return new AppError('API_VALIDATION_FAILED', summary, { details: { fields } });
}

/** MAAS's Http404 text: `No BootSource matches the given query.` */
export function notFound(code: ErrorCode, model: string): AppError {
  return new AppError(code, `No ${model} matches the given query.`);
}

/** A plain-text 400 (MAASAPIBadRequest). */
export function badRequest(code: ErrorCode, message: string): AppError {
  return new AppError(code, message);
}

/** Ids are 32-bit integer columns on PostgreSQL; anything else cannot name a row (and must not reach SQL). */
export function isRowId(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 2_147_483_647;
}
