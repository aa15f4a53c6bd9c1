import type { FastifyInstance } from 'fastify';
import type { RegionContext } from '../region-context.js';
import { registerLoginRoutes } from './login-routes.js';
import { registerStaticUi } from './static-ui.js';

export { authenticateSession } from './session-auth.js';
export { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './cookies.js';
export { UI_PREFIX, defaultUiRoot } from './static-ui.js';

/** Everything the browser needs from the region: the built UI, login and logout. */
export async function registerWebRoutes(
  app: FastifyInstance,
  region: RegionContext,
): Promise<void> {
  registerLoginRoutes(app, region);
  await registerStaticUi(app);
}
