import type { HandlerDeclaration } from '../handler-types.js';
import { accountHandler } from './account.js';
import {
  bootSourceSelectionHandler,
  bootSourceSelectionsHandler,
} from './boot-source-selections.js';
import { bootSourceHandler, bootSourcesHandler } from './boot-sources.js';
import { eventsHandler } from './events.js';
import { maasHandler } from './maas.js';
import { notificationHandler, notificationsHandler } from './notifications.js';
import { userHandler, usersHandler } from './users.js';
import { versionHandler } from './version.js';

/** The API core of the foundation. Other features add their handlers in api/resources.ts. */
export const CORE_HANDLERS: readonly HandlerDeclaration[] = [
  versionHandler,
  usersHandler,
  userHandler,
  accountHandler,
  maasHandler,
  bootSourcesHandler,
  bootSourceHandler,
  bootSourceSelectionsHandler,
  bootSourceSelectionHandler,
  eventsHandler,
  notificationsHandler,
  notificationHandler,
];

export { bootSourceJson } from './boot-sources.js';
export { selectionJson } from './boot-source-selections.js';
export { userJson } from './users.js';
export { API_VERSION } from './version.js';
