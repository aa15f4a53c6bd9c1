export {
  CONFIG_DEFINITIONS,
  findConfigDefinition,
  type ConfigDefinition,
} from './config-definitions.js';
export {
  getConfigValue,
  insertConfigRowIfAbsent,
  readConfigRow,
  setConfigValue,
  writeConfigRow,
} from './config-store.js';
export { maasConfigModule } from './maas-config-module.js';
