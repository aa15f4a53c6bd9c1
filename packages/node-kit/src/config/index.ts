export { loadConfig, type LoadConfigOptions } from './load-config.js';
export { renderConfigDocs } from './config-docs.js';
export {
  SETTINGS,
  LOG_LEVELS,
  type KilnConfig,
  type LogLevel,
  type SettingDeclaration,
  type SettingKey,
  type SettingType,
} from './settings.js';
