export { loadConfig, type LoadConfigOptions } from './load-config.js';
export { renderConfigDocs } from './config-docs.js';
export {
  SETTINGS,
  LOG_FORMATS,
  LOG_LEVELS,
  type KilnConfig,
  type LogFormat,
  type LogLevel,
  type SettingDeclaration,
  type SettingKey,
  type SettingType,
} from './settings.js';
