import type { ApiResult } from './handler-types.js';

export function json(body: unknown, status = 200): ApiResult {
  return { status, json: body };
}

export function text(body: string, status = 200): ApiResult {
  return { status, text: body };
}

export function deleted(): ApiResult {
  return { status: 204 };
}

export { badRequest, notFound, validationError } from '../domain-errors.js';
