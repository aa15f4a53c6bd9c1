import { z } from 'zod';
import { AppError } from '@kiln/node-kit';

// Only the fields the CLI reads are checked; everything else in the document is kept as-is so
// that a newer server's additions survive a round trip through the profiles file.
export const describeActionSchema = z.looseObject({
  method: z.string(),
  name: z.string(),
  op: z.string().nullable(),
  restful: z.boolean().optional(),
  doc: z.string().nullable().optional(),
});

export const describeHandlerSchema = z.looseObject({
  name: z.string(),
  doc: z.string().nullable().optional(),
  params: z.array(z.string()),
  path: z.string(),
  uri: z.string().optional(),
  actions: z.array(describeActionSchema),
});

export const describeResourceSchema = z.looseObject({
  name: z.string(),
  anon: describeHandlerSchema.nullable(),
  auth: describeHandlerSchema.nullable(),
});

export const describeDocumentSchema = z.looseObject({
  doc: z.string().optional(),
  hash: z.string().optional(),
  resources: z.array(describeResourceSchema),
});

export type DescribeAction = z.infer<typeof describeActionSchema>;
export type DescribeHandler = z.infer<typeof describeHandlerSchema>;
export type DescribeResource = z.infer<typeof describeResourceSchema>;
export type DescribeDocument = z.infer<typeof describeDocumentSchema>;

export function parseDescribeDocument(value: unknown): DescribeDocument {
  const result = describeDocumentSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where =
      issue === undefined ? '' : ` at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    throw new AppError(
      'CLI_DESCRIBE_INVALID',
      `The server's API description is not usable${where}.`,
    );
  }
  return result.data;
}
