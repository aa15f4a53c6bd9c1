import { AppError } from '@kiln/node-kit';

/** A MAAS API key split into its OAuth parts; the consumer secret is always empty in MAAS. */
export interface ApiCredentials {
  readonly consumerKey: string;
  readonly tokenKey: string;
  readonly tokenSecret: string;
}

/** Parses `consumer_key:token_key:token_secret` (surrounding whitespace from files/stdin ignored). */
export function parseApiKey(key: string): ApiCredentials {
  const parts = key.trim().split(':');
  const [consumerKey, tokenKey, tokenSecret] = parts;
  if (
    parts.length !== 3 ||
    consumerKey === undefined ||
    tokenKey === undefined ||
    tokenSecret === undefined ||
    parts.some((part) => part.length === 0)
  ) {
    throw new AppError(
      'CLI_MALFORMED_API_KEY',
      'Malformed API key: expected three colon-separated parts (consumer_key:token_key:token_secret).',
    );
  }
  return { consumerKey, tokenKey, tokenSecret };
}

export function formatApiKey(credentials: ApiCredentials): string {
  return `${credentials.consumerKey}:${credentials.tokenKey}:${credentials.tokenSecret}`;
}
