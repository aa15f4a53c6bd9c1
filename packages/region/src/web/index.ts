import type { RegionModule } from '../api/index.js';
import type { RegionContext } from '../region-context.js';
import { registerLoginRoutes } from './login-routes.js';
import { registerStaticUi } from './static-ui.js';

export { authenticateSession } from './session-auth.js';
export { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './cookies.js';
export { UI_PREFIX, defaultUiRoot } from './static-ui.js';

/** Everything the browser needs from the region: the built UI, login and logout. */
export function createWebModule(region: RegionContext): RegionModule {
  return {
    name: 'web',
    routes: async ({ app }) => {
      registerLoginRoutes(app, region);
      await registerStaticUi(app);
    },
  };
}
