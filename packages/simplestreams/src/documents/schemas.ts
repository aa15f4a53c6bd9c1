import { z } from 'zod';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const itemSchema = z.looseObject({
  path: z.string().optional(),
  ftype: z.string().optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hex digits')
    .optional(),
  size: z
    .union([
      z.number().int().nonnegative(),
      z.string().regex(/^\d+$/, 'size must be a whole number'),
    ])
    .optional(),
});

export const versionSchema = z.looseObject({ items: z.record(z.string(), itemSchema) });
export const productSchema = z.looseObject({ versions: z.record(z.string(), versionSchema) });

export const productsDocSchema = z.looseObject({
  format: z.literal('products:1.0'),
  content_id: z.string().min(1),
  datatype: z.string().optional(),
  updated: z.string().optional(),
  _aliases: z.record(z.string(), z.record(z.string(), z.record(z.string(), scalar))).optional(),
  products: z.record(z.string(), productSchema),
});

export const indexEntrySchema = z.looseObject({
  path: z.string().min(1),
  datatype: z.string().optional(),
  format: z.string().optional(),
  products: z.array(z.string()).optional(),
  updated: z.string().optional(),
});

export const indexDocSchema = z.looseObject({
  format: z.literal('index:1.0'),
  updated: z.string().optional(),
  index: z.record(z.string(), indexEntrySchema),
});

export type StreamItem = z.infer<typeof itemSchema>;
export type StreamVersion = z.infer<typeof versionSchema>;
export type StreamProduct = z.infer<typeof productSchema>;
export type ProductsDoc = z.infer<typeof productsDocSchema>;
export type IndexEntry = z.infer<typeof indexEntrySchema>;
export type IndexDoc = z.infer<typeof indexDocSchema>;
