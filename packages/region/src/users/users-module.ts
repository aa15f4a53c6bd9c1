import type { RegionModule } from '../api/index.js';
import { userHandler, usersHandler } from './users-handlers.js';

export const usersModule: RegionModule = { name: 'users', handlers: [usersHandler, userHandler] };
