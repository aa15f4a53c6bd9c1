export {
  NOTIFICATION_CATEGORIES,
  dismissNotification,
  getNotification,
  insertNotification,
  isVisibleTo,
  listVisibleNotifications,
  type NotificationCategory,
  type NotificationFields,
  type NotificationRow,
} from './notifications-repository.js';
export { clearSystemNotification, setSystemNotification } from './system-notifications.js';
export { notificationsModule } from './notifications-module.js';
