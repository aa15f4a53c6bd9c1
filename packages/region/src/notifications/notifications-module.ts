import type { RegionModule } from '../api/index.js';
import { notificationHandler, notificationsHandler } from './notifications-handlers.js';

export const notificationsModule: RegionModule = {
  name: 'notifications',
  handlers: [notificationsHandler, notificationHandler],
};
