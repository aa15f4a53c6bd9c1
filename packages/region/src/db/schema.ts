import type { Generated } from 'kysely';

/**
 * Table types for the region database. Portable conventions, so every query reads the same on
 * SQLite and PostgreSQL: timestamps are ISO-8601 UTC text (`2026-01-02T03:04:05.678Z`, which
 * sorts correctly as text), booleans are integers 0/1, lists and objects are JSON text, binary
 * data is a blob/bytea returned as a Buffer. Later features add their tables in their own
 * migration files and extend `Database` by interface merging in their own folder.
 */
export interface RegionsTable {
  id: Generated<number>;
  system_id: string;
  hostname: string;
  created: string;
  updated: string;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string;
  password_hash: string;
  is_admin: number;
  created: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  consumer_key: string;
  token_key: string;
  token_secret: string;
  created: string;
}

export interface NoncesTable {
  token_key: string;
  nonce: string;
  /** The OAuth timestamp (unix seconds) the nonce was used with; old rows are pruned. */
  timestamp: number;
}

export interface ConfigTable {
  name: string;
  /** JSON text. */
  value: string;
}

export interface BootSourcesTable {
  id: Generated<number>;
  url: string;
  keyring_filename: string;
  keyring_data: Buffer;
  created: string;
  updated: string;
}

export interface BootSourceSelectionsTable {
  id: Generated<number>;
  boot_source_id: number;
  os: string;
  release: string;
  /** JSON lists of strings. */
  arches: string;
  subarches: string;
  labels: string;
  created: string;
  updated: string;
}

export interface EventsTable {
  id: Generated<number>;
  /** Numeric level as MAAS has it: DEBUG 10, INFO 20, WARNING 30, ERROR 40, CRITICAL 50. */
  level: number;
  type: string;
  description: string;
  node_system_id: string | null;
  node_hostname: string | null;
  username: string | null;
  created: string;
}

export interface NotificationsTable {
  id: Generated<number>;
  /** Stable identifier for system notifications so they can be set and cleared idempotently. */
  ident: string | null;
  message: string;
  /** JSON object. */
  context: string;
  category: string;
  user_id: number | null;
  users: number;
  admins: number;
  dismissable: number;
  created: string;
  updated: string;
}

export interface NotificationDismissalsTable {
  notification_id: number;
  user_id: number;
}

export interface Database {
  regions: RegionsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  nonces: NoncesTable;
  config: ConfigTable;
  boot_sources: BootSourcesTable;
  boot_source_selections: BootSourceSelectionsTable;
  events: EventsTable;
  notifications: NotificationsTable;
  notification_dismissals: NotificationDismissalsTable;
}
