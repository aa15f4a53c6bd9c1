import { join } from 'node:path';

/**
 * Every Kiln setting, declared once. The loader, start-up validation, the CLI flags and
 * docs/configuration.md are all derived from this table, so a setting cannot exist in one
 * place and be missing from another.
 */
export type SettingType =
  'string' | 'integer' | 'port' | 'size' | 'url' | 'url-list' | 'log-level' | 'log-format';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** auto: readable lines on a terminal, JSON lines otherwise (a file, journald, a pipe). */
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

interface SettingValues {
  string: string;
  integer: number;
  port: number;
  size: number;
  url: string;
  'url-list': readonly string[];
  'log-level': LogLevel;
  'log-format': LogFormat;
}

export interface SettingDeclaration<T extends SettingType = SettingType> {
  /** snake_case key, also the key in the YAML file. */
  readonly name: string;
  readonly env: string;
  /** Extra environment variable names accepted for the same setting. */
  readonly envAliases?: readonly string[];
  readonly flag: string;
  readonly type: T;
  readonly description: string;
  /** null means "not set"; a function derives the default from settings declared earlier. */
  readonly default:
    SettingValues[T] | null | ((resolved: Readonly<Record<string, unknown>>) => SettingValues[T]);
  /** How the default reads in docs when it is derived. */
  readonly defaultText?: string;
  readonly secret?: boolean;
  readonly min?: number;
}

function setting<T extends SettingType>(declaration: SettingDeclaration<T>): SettingDeclaration<T> {
  return declaration;
}

const GIB = 1024 * 1024 * 1024;

export const SETTINGS = {
  dataDir: setting({
    name: 'data_dir',
    env: 'KILN_DATA_DIR',
    flag: '--data-dir',
    type: 'string',
    default: './kiln-data',
    description:
      'Directory for the SQLite database, the image store (image-storage/) and the rack cache (cache/).',
  }),
  databaseUrl: setting({
    name: 'database_url',
    env: 'KILN_DATABASE_URL',
    flag: '--database-url',
    type: 'string',
    default: (r) => `sqlite:${join(String(r.dataDir), 'kiln.db')}`,
    defaultText: 'sqlite:<data_dir>/kiln.db',
    secret: true,
    description:
      'Database to use: `sqlite:<path>` for an embedded SQLite file, or `postgres://user:pass@host:port/db` for PostgreSQL (needed for several regions).',
  }),
  listenAddress: setting({
    name: 'listen_address',
    env: 'KILN_LISTEN_ADDRESS',
    flag: '--listen-address',
    type: 'string',
    default: '0.0.0.0',
    description: 'Address the region API, rack HTTP and TFTP servers bind to.',
  }),
  regionPort: setting({
    name: 'region_port',
    env: 'KILN_REGION_PORT',
    flag: '--region-port',
    type: 'port',
    default: 5240,
    description: 'TCP port of the region (MAAS API under /MAAS/api/2.0/, metrics under /metrics).',
  }),
  rackHttpPort: setting({
    name: 'rack_http_port',
    env: 'KILN_RACK_HTTP_PORT',
    flag: '--rack-http-port',
    type: 'port',
    default: 5248,
    description: 'TCP port of the rack agent HTTP boot server.',
  }),
  tftpPort: setting({
    name: 'tftp_port',
    env: 'KILN_TFTP_PORT',
    flag: '--tftp-port',
    type: 'port',
    default: 69,
    description: 'UDP port of the rack agent TFTP server.',
  }),
  logLevel: setting({
    name: 'log_level',
    env: 'KILN_LOG_LEVEL',
    flag: '--log-level',
    type: 'log-level',
    default: 'info',
    description: `Log level: one of ${LOG_LEVELS.join(', ')}.`,
  }),
  logFormat: setting({
    name: 'log_format',
    env: 'KILN_LOG_FORMAT',
    flag: '--log-format',
    type: 'log-format',
    default: 'auto',
    description: `Log line format: one of ${LOG_FORMATS.join(', ')}. auto writes readable lines when standard output is a terminal and JSON lines otherwise; json always writes JSON lines (for log shippers).`,
  }),
  bootSourceUrl: setting({
    name: 'boot_source_url',
    env: 'KILN_BOOT_SOURCE_URL',
    flag: '--boot-source-url',
    type: 'url',
    default: 'http://images.maas.io/ephemeral-v3/stable/',
    description: 'URL of the boot source created on first start when none exists.',
  }),
  bootSourceKeyring: setting({
    name: 'boot_source_keyring',
    env: 'KILN_BOOT_SOURCE_KEYRING',
    flag: '--boot-source-keyring',
    type: 'string',
    default: '/usr/share/keyrings/ubuntu-cloudimage-keyring.gpg',
    description: 'Keyring file of the boot source created on first start.',
  }),
  importIntervalMinutes: setting({
    name: 'import_interval_minutes',
    env: 'KILN_IMPORT_INTERVAL_MINUTES',
    flag: '--import-interval-minutes',
    type: 'integer',
    default: 60,
    min: 1,
    description:
      'Default interval between automatic image imports (boot_images_import_interval_minutes).',
  }),
  regionUrls: setting({
    name: 'region_urls',
    env: 'KILN_REGION_URLS',
    envAliases: ['KILN_REGION_URL'],
    flag: '--region-url',
    type: 'url-list',
    default: (r) => [`http://127.0.0.1:${String(r.regionPort)}/MAAS/`],
    defaultText: 'http://127.0.0.1:<region_port>/MAAS/',
    description: 'Region URL(s) a rack agent talks to; comma-separated in the environment.',
  }),
  rackSecret: setting({
    name: 'rack_secret',
    env: 'KILN_RACK_SECRET',
    flag: '--rack-secret',
    type: 'string',
    default: null,
    secret: true,
    description: 'Shared secret a rack agent presents to the region (print it with `kiln secret`).',
  }),
  rackCacheSize: setting({
    name: 'rack_cache_size',
    env: 'KILN_RACK_CACHE_SIZE',
    flag: '--rack-cache-size',
    type: 'size',
    default: 4 * GIB,
    defaultText: '4GiB',
    min: 1,
    description:
      'Maximum size of the rack boot-file cache, in bytes or with a unit (K, M, G, T; KiB…TiB).',
  }),
  rackHeartbeatSeconds: setting({
    name: 'rack_heartbeat_seconds',
    env: 'KILN_RACK_HEARTBEAT_SECONDS',
    flag: '--rack-heartbeat-seconds',
    type: 'integer',
    default: 30,
    min: 1,
    description:
      'Seconds between a rack agent’s heartbeats to the region; a rack silent for 3 regional periods (30 s) shows its services dead.',
  }),
} as const;

export type SettingKey = keyof typeof SETTINGS;

type ValueOf<D> = D extends SettingDeclaration<infer T> ? SettingValues[T] : never;
type DefaultOf<D> = D extends { readonly default: null } ? null : never;

/** The resolved configuration: deeply read-only, passed explicitly to whoever needs it. */
export type KilnConfig = {
  readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]> | DefaultOf<(typeof SETTINGS)[K]>;
} & {
  /** The YAML file the values were read from, if any. */
  readonly configFile: string | null;
};
