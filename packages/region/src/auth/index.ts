export {
  KEY_LENGTH,
  SECRET_LENGTH,
  createApiKey,
  findUserToken,
  formatApiKey,
  insertApiToken,
  listApiTokens,
  listApiKeys,
  revokeApiKey,
  tokenKeyOf,
  type ApiTokenRow,
} from './api-tokens.js';
export { authenticateOAuth, type Authenticated } from './authenticate.js';
export { parseOAuthHeader } from './oauth-header.js';
export { pruneNonces, useNonce, TIMESTAMP_WINDOW_SECONDS } from './nonces.js';
export { authModule } from './auth-module.js';
