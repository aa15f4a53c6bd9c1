import type { RegionModule } from '../api/index.js';
import { accountHandler } from './account-handler.js';

/** The caller's own API keys (account/). */
export const authModule: RegionModule = { name: 'auth', handlers: [accountHandler] };
