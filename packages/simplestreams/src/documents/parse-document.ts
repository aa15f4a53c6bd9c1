import type { z } from 'zod';
import { mirrorFault } from '../stream-error.js';
import { indexDocSchema, productsDocSchema, type IndexDoc, type ProductsDoc } from './schemas.js';

/** Renders a zod issue path as a JSON path: `$.products["a:b"].versions["2025"].items.x.sha256`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function parseJson(text: string, document: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw mirrorFault(
      'STREAM_JSON_INVALID',
      `${document} is not valid JSON: ${(error as Error).message}`,
      { document },
    );
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown, document: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${jsonPath(issue.path)}: ${issue.message}`);
  throw mirrorFault(
    'STREAM_SCHEMA_INVALID',
    `${document} does not match its format: ${problems.join('; ')}`,
    {
      document,
      problems,
    },
  );
}

export function parseIndexDoc(text: string, document: string): IndexDoc {
  return validate(indexDocSchema, parseJson(text, document), document);
}

export function parseProductsDoc(text: string, document: string): ProductsDoc {
  return validate(productsDocSchema, parseJson(text, document), document);
}
