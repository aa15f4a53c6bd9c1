import { z } from 'zod';

/** A 400 form-validation body: `{field: [messages]}` (`__all__` for errors not tied to a field). */
export const FormErrorsSchema = z.record(z.string(), z.array(z.string()));
export type FormErrors = z.infer<typeof FormErrorsSchema>;
