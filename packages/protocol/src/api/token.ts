import { z } from 'zod';

/** An API key as `consumer_key:token_key:token_secret` (18, 18 and 32 characters). */
export const ApiKeySchema = z.string().regex(/^[A-Za-z0-9]{18}:[A-Za-z0-9]{18}:[A-Za-z0-9]{32}$/);

/** account/?op=create_authorisation_token. */
export const CreatedTokenSchema = z.object({
  consumer_key: z.string(),
  token_key: z.string(),
  token_secret: z.string(),
  name: z.string(),
});
export type CreatedToken = z.infer<typeof CreatedTokenSchema>;

/** One entry of account/?op=list_authorisation_tokens. */
export const TokenListEntrySchema = z.object({ name: z.string(), token: z.string() });
export type TokenListEntry = z.infer<typeof TokenListEntrySchema>;
