import type { Authenticator } from '../api/index.js';
import { authenticateOAuth } from '../auth/index.js';
import type { RegionContext } from '../region-context.js';
import { authenticateSession } from '../web/index.js';

/**
 * How the API knows its caller: the OAuth header when there is one, otherwise the web UI's
 * session cookie (with its CSRF check on unsafe methods).
 */
export function requestAuthenticator(region: RegionContext): Authenticator {
  return async (request) => {
    const header = request.headers.authorization;
    if (header === undefined || header === '') {
      const user = await authenticateSession(region.db, request);
      return user === null ? null : { user, token: null };
    }
    return authenticateOAuth(region.db, header, Math.floor(Date.now() / 1000), {
      readOnly: request.method === 'GET' || request.method === 'HEAD',
    });
  };
}
